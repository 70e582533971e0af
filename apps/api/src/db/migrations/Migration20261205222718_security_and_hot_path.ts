import { Migration } from '@mikro-orm/migrations';

export class Migration20261205222718_security_and_hot_path extends Migration {
  override name = 'Migration20261205222718_security_and_hot_path';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "auth_failures" ("organization_id" varchar(24) not null, "ip" varchar(45) not null, "minute" timestamptz not null, "code" varchar(16) not null, "key_id" varchar(20) not null, "source" text not null, "count" int not null, primary key ("organization_id", "ip", "minute", "code", "key_id", "source"));`,
    );
    this.addSql(
      `create index "auth_failures_org_minute_idx" on "auth_failures" ("organization_id", "minute");`,
    );

    this.addSql(
      `create table "key_changes" ("seq" bigserial primary key, "organization_id" varchar(24) not null, "key_id" varchar(20) null, "at" timestamptz not null default clock_timestamp());`,
    );
    this.addSql(`create index "key_changes_at_idx" on "key_changes" ("at");`);

    this.addSql(
      `create table "sign_in_attempts" ("id" bigserial primary key, "subject" varchar(400) not null, "at" timestamptz not null);`,
    );
    this.addSql(`create index "sign_in_attempts_subject_at_idx" on "sign_in_attempts" ("subject", "at");`);

    this.addSql(
      `create table "verify_calls" ("key_id" varchar(20) not null, "minute" timestamptz not null, "code" varchar(16) not null, "organization_id" varchar(24) not null, "count" int not null, primary key ("key_id", "minute", "code"));`,
    );
    this.addSql(`create index "verify_calls_minute_idx" on "verify_calls" ("minute");`);

    this.addSql(`alter table "events" drop constraint "events_type_check";`);
    this.addSql(
      `alter table "events" add constraint "events_type_check" check ("type" in ('key.expiring', 'key.expired', 'key.quota_exceeded', 'key.revoked', 'key.new_ip', 'ip.blocked', 'ip.failed_auth_burst'));`,
    );

    this.addSql(
      `create or replace function "organizations_organizations_plan_changed_fn"() returns trigger as $$ begin if old.plan is distinct from new.plan then insert into key_changes (organization_id, key_id) values (new.id, null); end if; return new; end; $$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "organizations_plan_changed" AFTER UPDATE on "organizations" for each ROW execute function "organizations_organizations_plan_changed_fn"();`,
    );

    this.addSql(`drop index "request_logs_space_time_idx";`);

    this.addSql(
      `create or replace function "api_keys_api_keys_changed_fn"() returns trigger as $$ begin if (old.revoked_at, old.grace_ends_at, old.active, old.expires_at, old.scopes, old.ip_allowlist, old.quota_total, old.quota_daily, old.quota_weekly, old.quota_monthly, old.rate_limit_per_second, old.rate_limit_per_minute, old.secret_hash, old.space_id, old.name, old.environment, old.version) is distinct from (new.revoked_at, new.grace_ends_at, new.active, new.expires_at, new.scopes, new.ip_allowlist, new.quota_total, new.quota_daily, new.quota_weekly, new.quota_monthly, new.rate_limit_per_second, new.rate_limit_per_minute, new.secret_hash, new.space_id, new.name, new.environment, new.version) then insert into key_changes (organization_id, key_id) values (new.organization_id, new.id); end if; return new; end; $$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "api_keys_changed" AFTER UPDATE on "api_keys" for each ROW execute function "api_keys_api_keys_changed_fn"();`,
    );
    this.addSql(
      `create or replace function "api_keys_api_keys_deleted_fn"() returns trigger as $$ begin insert into key_changes (organization_id, key_id) values (old.organization_id, old.id); return old; end; $$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "api_keys_deleted" AFTER DELETE on "api_keys" for each ROW execute function "api_keys_api_keys_deleted_fn"();`,
    );

    this.addSql(
      `alter table "auth_failures" add constraint "auth_failures_source_check" check ("source" in ('direct', 'verify'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "auth_failures" cascade;`);
    this.addSql(`drop table if exists "key_changes" cascade;`);
    this.addSql(`drop table if exists "sign_in_attempts" cascade;`);
    this.addSql(`drop table if exists "verify_calls" cascade;`);

    this.addSql(`drop trigger if exists "api_keys_changed" on "api_keys";`);
    this.addSql(`drop function if exists "api_keys_api_keys_changed_fn"();`);
    this.addSql(`drop trigger if exists "api_keys_deleted" on "api_keys";`);
    this.addSql(`drop function if exists "api_keys_api_keys_deleted_fn"();`);

    this.addSql(`alter table "events" drop constraint "events_type_check";`);
    this.addSql(
      `alter table "events" add constraint "events_type_check" check ("type" in ('key.expiring', 'key.expired', 'key.quota_exceeded', 'key.revoked', 'key.new_ip', 'ip.blocked'));`,
    );

    this.addSql(`drop trigger if exists "organizations_plan_changed" on "organizations";`);
    this.addSql(`drop function if exists "organizations_organizations_plan_changed_fn"();`);

    this.addSql(`create index "request_logs_space_time_idx" on "request_logs" ("space_id", "time", "id");`);
  }
}
