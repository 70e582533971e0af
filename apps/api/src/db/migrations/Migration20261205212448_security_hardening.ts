import { Migration } from '@mikro-orm/migrations';

export class Migration20261205212448_security_hardening extends Migration {
  override name = 'Migration20261205212448_security_hardening';

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

    this.addSql(`alter table "events" drop constraint "events_type_check";`);
    this.addSql(
      `alter table "events" add constraint "events_type_check" check ("type" in ('key.expiring', 'key.expired', 'key.quota_exceeded', 'key.revoked', 'key.new_ip', 'ip.blocked', 'ip.failed_auth_burst'));`,
    );

    this.addSql(
      `alter table "auth_failures" add constraint "auth_failures_source_check" check ("source" in ('direct', 'verify'));`,
    );

    // Every change verification sees, whatever wrote it, appends to key_changes (see key-change.entity.ts).
    this.addSql(`create function keysmith_key_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    insert into key_changes (organization_id, key_id) values (old.organization_id, old.id);
    return old;
  end if;
  insert into key_changes (organization_id, key_id) values (new.organization_id, new.id);
  return new;
end $$;`);
    this.addSql(`create trigger api_keys_changed after update on api_keys for each row
  when ((old.revoked_at, old.grace_ends_at, old.active, old.expires_at, old.scopes, old.ip_allowlist,
         old.quota_total, old.quota_daily, old.quota_weekly, old.quota_monthly, old.rate_limit_per_second,
         old.rate_limit_per_minute, old.secret_hash, old.space_id, old.name, old.environment, old.version)
        is distinct from
        (new.revoked_at, new.grace_ends_at, new.active, new.expires_at, new.scopes, new.ip_allowlist,
         new.quota_total, new.quota_daily, new.quota_weekly, new.quota_monthly, new.rate_limit_per_second,
         new.rate_limit_per_minute, new.secret_hash, new.space_id, new.name, new.environment, new.version))
  execute function keysmith_key_changed();`);
    this.addSql(
      `create trigger api_keys_deleted after delete on api_keys for each row execute function keysmith_key_changed();`,
    );
    this.addSql(`create function keysmith_organization_changed() returns trigger language plpgsql as $$
begin
  insert into key_changes (organization_id, key_id) values (new.id, null);
  return new;
end $$;`);
    this.addSql(`create trigger organizations_plan_changed after update on organizations for each row
  when (old.plan is distinct from new.plan) execute function keysmith_organization_changed();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists organizations_plan_changed on organizations;`);
    this.addSql(`drop trigger if exists api_keys_deleted on api_keys;`);
    this.addSql(`drop trigger if exists api_keys_changed on api_keys;`);
    this.addSql(`drop function if exists keysmith_organization_changed();`);
    this.addSql(`drop function if exists keysmith_key_changed();`);
    this.addSql(`drop table if exists "auth_failures" cascade;`);
    this.addSql(`drop table if exists "key_changes" cascade;`);
    this.addSql(`drop table if exists "sign_in_attempts" cascade;`);

    this.addSql(`alter table "events" drop constraint "events_type_check";`);
    this.addSql(
      `alter table "events" add constraint "events_type_check" check ("type" in ('key.expiring', 'key.expired', 'key.quota_exceeded', 'key.revoked', 'key.new_ip', 'ip.blocked'));`,
    );
  }
}
