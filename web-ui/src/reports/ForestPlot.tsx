import { CartesianGrid, Cell, ErrorBar, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { ForestRow } from './forest';
import { forestDomain, formatLift } from './forest';

const VERDICT_COLORS: Record<string, string> = { IMPROVED: '#2b8a3e', DEGRADED: '#c92a2a', INCONCLUSIVE: '#495057', NOT_ENOUGH_DATA: '#868e96', NOT_TRUSTWORTHY: '#c92a2a' };

/**
 * A forest plot: per treatment a dot at the lift and a bar across its confidence interval, with the no-effect line at
 * 0. A bar entirely on one side of the line is a significant result.
 */
export default function ForestPlot({ rows, metric, labels }: { rows: ForestRow[]; metric: string; labels: string[] }) {
  const relative = rows.every((r) => r.relative);
  const summary = rows
    .map((r) => `${r.treatment}: ${formatLift(r.estimate, r.relative)} (CI ${formatLift(r.lower, r.relative)} to ${formatLift(r.upper, r.relative)})`)
    .join('; ');
  return (
    <figure style={{ margin: 0 }} aria-label={`Lift of ${metric} with confidence intervals: ${summary}`} data-testid={`forest-${metric}`}>
      <div style={{ width: '100%', height: 50 + 44 * labels.length }}>
        <ResponsiveContainer>
          <ScatterChart margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis
              type="number"
              dataKey="estimate"
              domain={forestDomain(rows)}
              tickFormatter={(v: number) => formatLift(v, relative)}
              fontSize={11}
              name="lift"
            />
            <YAxis
              type="number"
              dataKey="row"
              domain={[-0.5, labels.length - 0.5]}
              ticks={labels.map((_, i) => i)}
              tickFormatter={(i: number) => labels[i] ?? ''}
              reversed
              width={90}
              fontSize={12}
              name="treatment"
            />
            <ReferenceLine x={0} stroke="#868e96" strokeWidth={1.5} />
            <Tooltip
              cursor={false}
              formatter={(value) => (typeof value === 'number' ? formatLift(value, relative) : String(value))}
              labelFormatter={() => metric}
            />
            <Scatter data={rows} isAnimationActive={false}>
              {rows.map((r) => (
                <Cell key={r.treatment} fill={VERDICT_COLORS[r.verdict] ?? '#1c7ed6'} />
              ))}
              <ErrorBar dataKey="error" direction="x" width={8} strokeWidth={3} stroke="#1c7ed6" />
            </Scatter>
          </ScatterChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
