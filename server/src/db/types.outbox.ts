// The outbox of SMS and e-mail (platform/outbox).
import type { ColumnType, Generated } from 'kysely';

export type MessageChannel = 'sms' | 'email';
export type MessageLanguage = 'hi' | 'en' | 'both';
export type MessageStatus = 'queued' | 'sending' | 'sent' | 'failed';

export interface OutboxMessagesTable {
  id: string;
  channel: MessageChannel;
  recipient: string;
  template: string;
  language: MessageLanguage;
  subject: string | null;
  /** The text as sent, each secret a placeholder ⟦name⟧. */
  text: string;
  /** The secrets' values until the message is sent or given up. */
  secrets: ColumnType<Record<string, string> | null, string | null, string | null>;
  status: Generated<MessageStatus>;
  attempts: Generated<number>;
  last_error: string | null;
  claimed_until: Date | null;
  expires_at: Date | null;
  sent_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  created_by: string | null;
  about_kind: string | null;
  about_id: string | null;
  org_path: string | null;
}

export interface OutboxTables {
  outbox_messages: OutboxMessagesTable;
}
