import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ExperimentReport } from '../api/types';
import { formatLift } from './forest';

type Series = NonNullable<ExperimentReport['effectOverTime']>[number];

const COLORS = ['#1c7ed6', '#e8590c', '#2b8a3e', '#862e9c'];

/**
 * The cumulative lift per day with its always-valid interval, one line per treatment: the interval narrows and the
 * estimate settles as users arrive. Relative lift when the control's mean allows it, else absolute.
 */
export default function EffectOverTimeChart({ metric, series }: { metric: string; series: Series[] }) {
  const relative = series.every((s) => s.days.every((d) => d.result.relative?.estimate != null));
  const rows = new Map<string, Record<string, number | string | null>>();
  for (const s of series) {
    for (const d of s.days) {
      const effect = relative ? d.result.relative : d.result.absolute;
      const row = rows.get(d.day) ?? { day: d.day };
      row[`${s.treatment}`] = effect?.estimate ?? null;
      row[`${s.treatment} lower`] = effect?.sequentialInterval?.lower ?? null;
      row[`${s.treatment} upper`] = effect?.sequentialInterval?.upper ?? null;
      rows.set(d.day, row);
    }
  }
  const data = [...rows.values()].sort((a, b) => String(a.day).localeCompare(String(b.day)));
  if (data.length < 2) return null;
  return (
    <figure style={{ margin: 0 }} aria-label={`${metric}: lift per day of the experiment`} data-testid={`effect-over-time-${metric}`}>
      <div style={{ width: '100%', height: 180 }}>
        <ResponsiveContainer>
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" fontSize={11} />
            <YAxis tickFormatter={(v: number) => formatLift(v, relative)} fontSize={11} width={60} />
            <ReferenceLine y={0} stroke="#495057" />
            <Tooltip formatter={(v) => (typeof v === 'number' ? formatLift(v, relative) : String(v))} />
            <Legend />
            {series.map((s, i) => [
              <Line key={s.treatment} dataKey={s.treatment} stroke={COLORS[i % COLORS.length]} dot isAnimationActive={false} />,
              <Line
                key={`${s.treatment}-lower`}
                dataKey={`${s.treatment} lower`}
                stroke={COLORS[i % COLORS.length]}
                strokeDasharray="4 3"
                dot={false}
                legendType="none"
                isAnimationActive={false}
              />,
              <Line
                key={`${s.treatment}-upper`}
                dataKey={`${s.treatment} upper`}
                stroke={COLORS[i % COLORS.length]}
                strokeDasharray="4 3"
                dot={false}
                legendType="none"
                isAnimationActive={false}
              />,
            ])}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption style={{ fontSize: 12, color: '#495057' }}>Lift so far, day by day; dashed: its always-valid interval.</figcaption>
    </figure>
  );
}
