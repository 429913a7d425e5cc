import type { components } from './schema';

/**
 * Response bodies as the server writes them: every record component is present (null when it has no value), so the
 * optional marks the generator puts on all properties are removed here. Fields the server documents as possibly
 * null (lifts, p-values) are still checked where they are drawn.
 */
export type Present<T> = T extends (infer U)[]
  ? Present<U>[]
  : T extends Record<string, unknown>
    ? { [K in keyof T]-?: Present<T[K]> }
    : T;

type S = components['schemas'];

export type SessionView = Present<S['SessionView']>;
export type ProjectView = Present<S['ProjectView']>;
export type EnvironmentView = Present<S['EnvironmentView']>;
export type FlagView = Present<S['FlagView']>;
export type FlagSummary = Present<S['FlagSummary']>;
export type EnvironmentState = Present<S['EnvironmentState']>;
export type ConfigurationView = Present<S['ConfigurationView']>;
export type ConfigurationUpdate = S['ConfigurationUpdate'];
export type Rule = Present<S['Rule']>;
export type Condition = Present<S['Condition']>;
export type Serve = S['Serve'];
export type Split = Present<S['Split']>;
export type Prerequisite = Present<S['Prerequisite']>;
export type EvaluationResult = Present<S['EvaluationResult']>;
export type EvaluateResponse = Present<S['EvaluateResponse']>;
export type SegmentView = Present<S['SegmentView']>;
export type MetricView = Present<S['MetricView']>;
export type MetricRequest = S['MetricRequest'];
export type FlagMetricsView = Present<S['FlagMetricsView']>;
export type AuditEntryView = Present<S['AuditEntryView']>;
export type ExposureReport = Present<S['ExposureReport']>;
export type KeyExposure = Present<S['KeyExposure']>;
export type ExperimentReport = Present<S['ExperimentReport']>;
export type MetricReport = Present<S['MetricReport']>;
export type TreatmentView = Present<S['TreatmentView']>;
export type SdkKeyView = Present<S['SdkKeyView']>;
export type CreatedSdkKey = Present<S['CreatedSdkKey']>;
export type TokenView = Present<S['TokenView']>;
export type CreatedToken = Present<S['CreatedToken']>;
export type UserView = Present<S['UserView']>;
export type PlanView = Present<S['PlanView']>;
export type StageView = Present<S['StageView']>;
export type TransitionView = Present<S['TransitionView']>;
export type PlanRequest = S['PlanRequest'];
export type StageRequest = S['StageRequest'];
export type ScheduleView = Present<S['ScheduleView']>;
export type ScheduleRequest = S['ScheduleRequest'];
export type TeamView = Present<S['TeamView']>;
export type ChannelView = Present<S['ChannelView']>;
export type ChannelRequest = S['ChannelRequest'];
export type NotificationView = Present<S['NotificationView']>;
export type Delivery = Present<S['Delivery']>;
export type AlertView = Present<S['AlertView']>;
