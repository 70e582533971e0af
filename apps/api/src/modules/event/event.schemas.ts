import { z } from 'zod';
import { EVENT_TYPES } from './event.entity.js';

export const ZListNotificationsSchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(30),
  /** Only one kind of event. */
  kind: z.enum(EVENT_TYPES).optional(),
  /** Only entries the caller has not read. */
  unread: z.boolean().optional(),
});
export type TListNotifications = z.infer<typeof ZListNotificationsSchema>;

/**
 * One entry of the admin's notification list: one event, or a group of repeats (every
 * "new IP" of one key on one UTC day is one entry with a count). `id`, `createdAt` and `data`
 * are those of the newest event in it; `data` is the webhook payload.
 */
export const ZNotificationSchema = z.object({
  id: z.string(),
  type: z.enum(EVENT_TYPES),
  createdAt: z.string(),
  /** The oldest event's time (equal to `createdAt` for a single event). */
  firstAt: z.string(),
  /** How many events the entry stands for. */
  count: z.number().int(),
  /** For grouped "new IP" entries: the distinct IPs, newest first, at most 20. */
  ips: z.array(z.string()),
  read: z.boolean(),
  data: z.record(z.string(), z.unknown()),
});
export type TNotification = z.infer<typeof ZNotificationSchema>;

export const ZNotificationPageSchema = z.object({
  data: z.array(ZNotificationSchema),
  nextCursor: z.string().nullable(),
  /** Unread entries in the last 30 days, whatever the filters (for the bell's badge). */
  unreadCount: z.number().int(),
});
export type TNotificationPage = z.infer<typeof ZNotificationPageSchema>;

export const ZMarkNotificationReadSchema = z.object({ id: z.string().min(1).max(64) });
export const ZMarkAllReadResultSchema = z.object({ readBefore: z.string() });
