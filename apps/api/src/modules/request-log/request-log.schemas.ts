import { VERIFY_ERRORS } from '@keysmith/domain';
import { z } from 'zod';

/** `VALID` and every §3 code: the outcome codes a request log row may carry. */
export const LOG_CODES = ['VALID', ...VERIFY_ERRORS.map((e) => e.code)] as const;

/** An instant as ISO 8601 with an offset (the SPA sends `toISOString()`). */
export const ZInstantSchema = z.iso.datetime({ offset: true, message: 'Enter a date and time' });

/** Which rows: one key or one space (or every space the caller may read), narrowed by filters. */
export const ZLogFiltersSchema = z.object({
  keyId: z.string().min(1).max(64).optional(),
  spaceId: z.string().min(1).max(64).optional(),
  status: z.number().int().min(100).max(599).optional(),
  code: z.enum(LOG_CODES).optional(),
  ip: z.string().trim().min(1).max(45).optional(),
  /** Rows whose endpoint starts with this text. */
  endpoint: z.string().max(512).optional(),
  /** Inclusive lower bound. */
  from: ZInstantSchema.optional(),
  /** Exclusive upper bound. */
  to: ZInstantSchema.optional(),
});
export type TLogFilters = z.infer<typeof ZLogFiltersSchema>;

export const ZListLogsSchema = ZLogFiltersSchema.extend({
  cursor: z.string().min(1).max(200).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type TListLogs = z.infer<typeof ZListLogsSchema>;

/** An export names its range explicitly, so a file says what it covers. */
export const ZExportLogsSchema = ZLogFiltersSchema.extend({
  from: ZInstantSchema,
  to: ZInstantSchema,
});
export type TExportLogs = z.infer<typeof ZExportLogsSchema>;

export const ZRequestLogSchema = z.object({
  id: z.string(),
  time: z.string(),
  keyId: z.string().nullable(),
  keyName: z.string().nullable(),
  spaceId: z.string().nullable(),
  method: z.string(),
  endpoint: z.string(),
  status: z.number(),
  durationMs: z.number(),
  ip: z.string().nullable(),
  credits: z.number(),
  code: z.string(),
});
export type TRequestLog = z.infer<typeof ZRequestLogSchema>;

export const ZLogPageSchema = z.object({
  items: z.array(ZRequestLogSchema),
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type TLogPage = z.infer<typeof ZLogPageSchema>;

/** A CSV document returned whole; `note` explains a cut when `truncated`. */
export const ZCsvExportSchema = z.object({
  filename: z.string(),
  csv: z.string(),
  rows: z.number(),
  truncated: z.boolean(),
  note: z.string().nullable(),
});
export type TCsvExport = z.infer<typeof ZCsvExportSchema>;
