import { z } from 'zod';

/** The `token_type` Keysmith answers for its keys (and registers with secret scanners). */
export const KEYSMITH_TOKEN_TYPE = 'keysmith_api_key';

/** Most reports one request may carry; unsigned requests fewer (they cost anyone nothing to send). */
export const MAX_SIGNED_REPORTS = 1000;
export const MAX_UNSIGNED_REPORTS = 100;

/** Whether `s` holds a C0 control character, DEL, or half of a surrogate pair. */
function hasControlOrLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

/** Text from outside that we store and show: no control characters, no lone surrogates. */
function printable(max: number) {
  return z
    .string()
    .max(max)
    .refine((s) => !hasControlOrLoneSurrogate(s), { message: 'Must not contain control characters' });
}

/**
 * One report as GitHub's secret scanning partner program sends it (§11). Unknown fields are
 * ignored rather than refused: the payload is the scanner's, and it has grown fields before.
 */
export const ZLeakReportItemSchema = z.object({
  token: z.string().min(1, 'Enter the token').max(1024),
  type: z.string().max(128).optional().describe('The scanner’s name for the token type; ignored'),
  url: printable(4096).optional().describe('Where the token was found'),
  source: printable(128)
    .optional()
    .describe('What kind of place it was found in (`content`, `commit`, `npm` …)'),
});

export const ZLeakReportBodySchema = z
  .array(ZLeakReportItemSchema)
  .min(1, 'Send at least one report')
  .max(MAX_SIGNED_REPORTS, `At most ${MAX_SIGNED_REPORTS} reports per request`);
export type TLeakReportBody = z.output<typeof ZLeakReportBodySchema>;

export const ZLeakLabelSchema = z.object({
  token_raw: z.string(),
  token_type: z.literal(KEYSMITH_TOKEN_TYPE),
  label: z.enum(['true_positive', 'false_positive']),
});

export const ZLeakReportAnswerSchema = z.array(ZLeakLabelSchema);

/** The admin's "Report as leaked" (§11): the full key, as pasted. */
export const ZReportLeakInputSchema = z.object({
  token: z.string().trim().min(1).max(256),
  url: printable(4096).optional(),
});

export const ZReportLeakResultSchema = z.object({
  label: z.enum(['true_positive', 'false_positive']),
  /** The key and what was done, when it belongs to the caller's organization. */
  keyId: z.string().nullable(),
  action: z.enum(['revoked', 'deactivated', 'none']).nullable(),
});
export type TReportLeakInput = z.output<typeof ZReportLeakInputSchema>;
export type TReportLeakResult = z.output<typeof ZReportLeakResultSchema>;
