// Didi ki Rasoi (issue 15, part 7): hospital kitchens run by self-help groups, their days and monthly
// bills. The shapes follow server/src/modules/kitchens/kitchens.schema.ts.
import { api, get } from '../../api.ts';

export const BILL_STATUSES = ['draft', 'submitted', 'approved', 'paid'] as const;
export type BillStatus = (typeof BILL_STATUSES)[number];

export interface Flag { code: string; date?: string; message: string; messageHi?: string }
export interface KitchenItem {
  id: string; hospital: { id: string; name: string }; groupName: string; groupNameHi: string | null;
  bankAccountMasked: string; bankAccount?: string; ifsc: string; startedOn: string;
}
export interface Kitchen extends KitchenItem { members: { name: string; mobile: string | null; role: string | null }[] }
export interface KitchenBody {
  hospitalId: string; groupName: string; groupNameHi?: string; members: { name: string; mobile?: string; role?: string }[];
  bankAccount: string; ifsc: string; startedOn: string;
}
export interface Day { date: string; inpatients: number; mealsServed: number; attendantMeals: number; correctionReason: string | null; flags: Flag[] }
export interface DayBody { date: string; inpatients: number; mealsServed: number; attendantMeals?: number; correctionReason?: string }
export interface Bill {
  kitchenId: string; month: string; status: BillStatus; amount: number; days: number; patientDays: number; attendantMeals: number; flags: Flag[];
  submittedAt: string | null; approvedAt: string | null; paidAt: string | null; paymentReference: string | null;
}

export const listKitchens = (query: { district?: string; cursor?: string }, signal?: AbortSignal) =>
  get<{ items: KitchenItem[]; nextCursor: string | null }>('/api/kitchens', query, signal);
export const getKitchen = (id: string, signal?: AbortSignal) => get<Kitchen>(`/api/kitchens/${encodeURIComponent(id)}`, undefined, signal);
export const addKitchen = (body: KitchenBody) => api<{ id: string }>('POST', '/api/kitchens', { body });
export const listDays = (id: string, month: string, signal?: AbortSignal) => get<{ items: Day[] }>(`/api/kitchens/${encodeURIComponent(id)}/days`, { month }, signal);
export const recordDay = (id: string, body: DayBody) => api<Day>('POST', `/api/kitchens/${encodeURIComponent(id)}/days`, { body });
export const getBill = (id: string, month: string, signal?: AbortSignal) => get<Bill>(`/api/kitchens/${encodeURIComponent(id)}/bills`, { month }, signal);
export const moveBill = (id: string, month: string, action: 'submit' | 'approve' | 'pay', reference?: string) =>
  api<Bill>('POST', `/api/kitchens/${encodeURIComponent(id)}/bills/${month}/${action}`, { body: action === 'pay' ? { reference } : {} });

/** The month before the current one (YYYY-MM): the one a bill is usually made for. */
export function lastMonth(now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}
