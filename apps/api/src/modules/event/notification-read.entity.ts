import { defineEntity, p } from '@mikro-orm/core';

/**
 * What a user has read in an organization's notification list (issue 11): one row per entry
 * marked read (by the id of its newest event, so an entry that gains a newer event is unread
 * again), and per user a `read_before` mark that "Mark all as read" moves to now.
 */
export const NotificationReadSchema = defineEntity({
  name: 'NotificationRead',
  tableName: 'notification_reads',
  uniques: [{ name: 'notification_reads_user_event_unique', properties: ['userId', 'eventId'] }],
  properties: {
    id: p.string().primary().length(24),
    organizationId: p.string().length(24),
    userId: p.string().length(24),
    eventId: p.string().length(24),
    readAt: p.datetime(),
  },
});

export class NotificationRead extends NotificationReadSchema.class {}
NotificationReadSchema.setClass(NotificationRead);

export const NotificationMarkSchema = defineEntity({
  name: 'NotificationMark',
  tableName: 'notification_marks',
  uniques: [{ name: 'notification_marks_org_user_unique', properties: ['organizationId', 'userId'] }],
  properties: {
    id: p.string().primary().length(24),
    organizationId: p.string().length(24),
    userId: p.string().length(24),
    /** Every entry whose newest event is at or before this instant counts as read. */
    readBefore: p.datetime(),
  },
});

export class NotificationMark extends NotificationMarkSchema.class {}
NotificationMarkSchema.setClass(NotificationMark);
