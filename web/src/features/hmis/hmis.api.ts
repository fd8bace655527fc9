import { api, ApiError, get } from '../../api.ts';

export interface DataSetInfo {
  id: string;
  code: string | null;
  name: string;
  nameHi?: string | null;
  periodType: string;
  timelyDays: number;
  expiryDays: number;
  openFuturePeriods?: number;
}

export interface OptionCombo { id: string; name: string; nameHi?: string | null }

export interface FormElement {
  id: string;
  code: string | null;
  name: string;
  nameHi?: string | null;
  formName: string;
  formNameHi?: string | null;
  valueType: string;
  zeroIsSignificant: boolean;
  categoryCombo: { id: string; categoryOptionCombos: OptionCombo[] };
  /** For the metadata editor, which must send these back unchanged. */
  shortName?: string | null;
  aggregationType?: string;
  translations?: unknown[];
  dataSetCategoryCombo?: string | null;
}

export interface FormSection { id: string; code?: string | null; name: string; nameHi?: string | null; elements: FormElement[] }

export type MissingStrategy = 'SKIP_IF_ANY_VALUE_MISSING' | 'SKIP_IF_ALL_VALUES_MISSING' | 'NEVER_SKIP';

export interface ValidationRule {
  id: string;
  name: string;
  nameHi?: string | null;
  instruction?: string | null;
  /** Not sent by the server yet; used when it is. */
  instructionHi?: string | null;
  operator: string;
  importance?: string | null;
  leftSide: { expression: string; missingValueStrategy: MissingStrategy | string };
  rightSide: { expression: string; missingValueStrategy: MissingStrategy | string };
}

export interface DataSetForm { dataSet: DataSetInfo; sections: FormSection[]; validationRules: ValidationRule[] }

export interface DataValue { dataElement: string; categoryOptionCombo: string; value: string }

export interface Conflict { object: string; value: string; errorCode: string; property: string; indexes?: number[] }

export interface ImportSummary {
  status: 'SUCCESS' | 'WARNING' | 'ERROR';
  importCount: { imported: number; updated: number; ignored: number; deleted: number };
  conflicts: Conflict[];
}

export type ReturnStatusCode =
  | 'not_started' | 'draft' | 'completed_on_time' | 'completed_late' | 'returned' | 'approved' | 'accepted';

export const RETURN_STATUSES: ReturnStatusCode[] = [
  'not_started', 'draft', 'completed_on_time', 'completed_late', 'returned', 'approved', 'accepted',
];

export interface ReturnState { status: ReturnStatusCode; completedAt: string | null; reason: string | null; locked: boolean; values?: number }

export interface ReturnItem extends ReturnState {
  id: string;
  name: string;
  nameHi?: string | null;
  type: string | null;
  ownership: string | null;
  period: string;
  district: string | null;
  block: string | null;
}

export interface Rates { expected: number; actual: number; actualOnTime: number; rate: number; rateOnTime: number }
export interface RatesAnswer extends Rates { rows?: (Rates & { key: string; name: string })[] }

export interface HistoryStat {
  dataElement: string;
  categoryOptionCombo: string;
  n: number;
  median: number;
  mad: number;
  min: number;
  max: number;
}

export interface OutlierItem {
  orgUnit: string;
  name: string;
  dataElement: string;
  code: string | null;
  categoryOptionCombo: string;
  value: string | number;
  median: number;
  zScore: number | null;
}

export interface Violation {
  rule: { id: string; name: string; nameHi?: string | null; instruction?: string | null; importance?: string | null };
  leftValue: number | null;
  rightValue: number | null;
}

export type ReturnAction = 'complete' | 'uncomplete' | 'return' | 'approve' | 'accept' | 'unapprove';

export interface Ref { dataSet: string; period: string; orgUnit: string }

export const listDataSets = () => get<{ items: DataSetInfo[] }>('/api/hmis/dataSets');
export interface IndicatorInfo { id: string; code: string | null; name: string; nameHi: string | null; numerator: string; denominator: string; factor: number }
export const listIndicators = (signal?: AbortSignal) => get<{ items: IndicatorInfo[] }>('/api/hmis/indicators', undefined, signal);

export const getForm = (idOrCode: string, signal?: AbortSignal) =>
  get<DataSetForm>(`/api/hmis/dataSets/${encodeURIComponent(idOrCode)}/form`, undefined, signal);

export const getValues = (ref: Ref, signal?: AbortSignal) =>
  get<{ dataValues?: DataValue[]; completeDate?: string }>('/api/dataValueSets', { ...ref }, signal);

export const sendValues = (ref: Ref, dataValues: DataValue[]) =>
  api<ImportSummary>('POST', '/api/dataValueSets', { body: { ...ref, dataValues } });

/** A validation rule that fails on a return, with the facility's comment where one was given. */
export interface FailingRule {
  rule: { id: string; code: string | null; name: string; nameHi: string | null; instruction: string | null; instructionHi: string | null };
  leftValue: number | null;
  rightValue: number | null;
  comment: { text: string; by: string; at: string } | null;
}
export interface StepExtra { comments?: { rule: string; comment: string }[]; confirmFailingRules?: boolean }

export const returnStep = (action: ReturnAction, ref: Ref, reason?: string, extra: StepExtra = {}) =>
  api<ReturnState & { failingRules?: FailingRule[] }>('POST', `/api/hmis/returns/${action}`, { body: { ...ref, ...(reason ? { reason } : {}), ...extra } });

/** One return as the district reviews it: the rules that fail now and the facility's comments. */
export const getReview = (ref: Ref, signal?: AbortSignal) =>
  get<{ failingRules: FailingRule[]; validCompleteOnly: boolean; allowCompleteWithComments: boolean }>('/api/hmis/returns/review', { ...ref }, signal);

/** The returns of the area; with a page (`status`, `limit`, `offset`) one page of them and the total. */
export const listReturns = (ref: Ref, signal?: AbortSignal, page?: { status?: string; limit?: number; offset?: number }) =>
  get<{ summary: Record<string, number>; items: ReturnItem[]; total: number; offset: number }>('/api/hmis/returns', { ...ref, ...page }, signal);

export const reportingRates = (ref: Ref, by?: 'type' | 'ownership' | 'district', signal?: AbortSignal) =>
  get<RatesAnswer>('/api/hmis/reporting-rates', { ...ref, by }, signal);

/** What a round of reminders did: in-app notices, and the outbox's SMS and e-mail as they stand after the first try. */
export interface ReminderOutcome {
  round: string;
  facilities: number;
  inApp: number;
  messages: { queued: number; sent: number; failed: number; gaveUp: number; waiting: number };
  withoutContact: { id: string; name: string; phone: string | null }[];
}
export const remindDefaulters = (ref: Ref) => api<ReminderOutcome>('POST', '/api/hmis/defaulters/reminders', { body: ref });

/** null when the server does not offer this yet (404). */
async function optional<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export const getHistory = (dataSet: string, orgUnit: string, period: string, signal?: AbortSignal) =>
  optional(get<{ items: HistoryStat[] }>(`/api/hmis/dataSets/${encodeURIComponent(dataSet)}/history`, { orgUnit, period }, signal));

export const getOutliers = (ref: Ref, signal?: AbortSignal) =>
  optional(get<{ items: OutlierItem[] }>('/api/hmis/outliers', { ...ref }, signal));

export const runValidation = (ref: Ref) =>
  optional(api<{ violations: Violation[] }>('POST', '/api/hmis/validation/run', { body: ref }));
