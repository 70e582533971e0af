import { z } from 'zod';
import { EVENT_TYPES } from './event.entity.js';

export const ZListNotificationsSchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(30),
});
export type TListNotifications = z.infer<typeof ZListNotificationsSchema>;

/** One event as the admin's notification list shows it; `data` is the webhook payload. */
export const ZNotificationSchema = z.object({
  id: z.string(),
  type: z.enum(EVENT_TYPES),
  createdAt: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type TNotification = z.infer<typeof ZNotificationSchema>;

export const ZNotificationPageSchema = z.object({
  data: z.array(ZNotificationSchema),
  nextCursor: z.string().nullable(),
});
export type TNotificationPage = z.infer<typeof ZNotificationPageSchema>;
