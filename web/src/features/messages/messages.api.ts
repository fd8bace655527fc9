import { get } from '../../api.ts';

export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
export const PAGE_SIZE = 50;

export interface OutboxMessage {
  id: string;
  channel: 'sms' | 'email';
  /** Masked: XXXXXX1234, or a***@domain. */
  to: string;
  template: string;
  language: string;
  subject: string | null;
  /** As sent, one-time codes hidden. */
  text: string;
  status: MessageStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  updatedAt: string;
  createdBy: string | null;
  about: { kind: string; id: string | null } | null;
}
export interface MessagesPage { items: OutboxMessage[]; total: number; limit: number; offset: number; summary: Record<MessageStatus, number> }
export interface MessagesFilter { status?: string; channel?: string; about?: string; aboutId?: string }

export const listMessages = (f: MessagesFilter, offset: number, signal?: AbortSignal) =>
  get<MessagesPage>('/api/messages', { ...f, limit: PAGE_SIZE, offset }, signal);
