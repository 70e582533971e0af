import { defineEntity, p } from '@mikro-orm/core';

/**
 * Failed sign-in attempts, for the throttle shared by every API process when there is no Redis
 * (decision 0012). `subject` is a throttle key (`ip:…` or `email-ip:…`); rows older than the
 * window are deleted as attempts are counted.
 */
export const SignInAttemptSchema = defineEntity({
  name: 'SignInAttempt',
  tableName: 'sign_in_attempts',
  indexes: [{ name: 'sign_in_attempts_subject_at_idx', properties: ['subject', 'at'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    subject: p.string().length(400),
    at: p.datetime(),
  },
});

export class SignInAttempt extends SignInAttemptSchema.class {}
SignInAttemptSchema.setClass(SignInAttempt);
