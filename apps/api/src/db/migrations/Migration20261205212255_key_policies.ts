import { Migration } from '@mikro-orm/migrations';

export class Migration20261205212255_key_policies extends Migration {
  override name = 'Migration20261205212255_key_policies';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "key_policies" ("id" varchar(24) not null, "organization_id" varchar(24) not null, "space_id" varchar(24) null, "max_lifetime_days" int null, "require_expiry" boolean not null default false, "idle_deactivate_days" int null, "rotation_reminder_days" int null, "require_ip_allowlist_for_live" boolean not null default false, "leak_response" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create unique index "key_policies_org_default_unique" on "key_policies" ("organization_id") where "space_id" is null;`,
    );
    this.addSql(
      `alter table "key_policies" add constraint "key_policies_org_space_unique" unique ("organization_id", "space_id");`,
    );

    this.addSql(`alter table "events" drop constraint "events_type_check";`);
    this.addSql(
      `alter table "events" add constraint "events_type_check" check ("type" in ('key.expiring', 'key.expired', 'key.quota_exceeded', 'key.revoked', 'key.new_ip', 'ip.blocked', 'key.idle_deactivated', 'key.rotation_due', 'key.leaked'));`,
    );

    this.addSql(`alter table "security_events" drop constraint "security_events_kind_check";`);
    this.addSql(
      `alter table "security_events" add constraint "security_events_kind_check" check ("kind" in ('failed_auth', 'ip_blocked', 'ip_unblocked', 'quota_exceeded', 'new_ip', 'key_leaked'));`,
    );

    this.addSql(
      `alter table "api_keys" add "reactivated_at" timestamptz null, add "rotation_reminded_at" timestamptz null;`,
    );
    this.addSql(
      `create index "api_keys_rotation_due_idx" on "api_keys" ("organization_id", (coalesce("rotation_reminded_at", "created_at"))) where "revoked_at" is null;`,
    );

    this.addSql(
      `alter table "key_policies" add constraint "key_policies_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "key_policies" add constraint "key_policies_space_id_foreign" foreign key ("space_id") references "spaces" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "key_policies" add constraint "key_policies_leak_response_check" check ("leak_response" in ('revoke', 'deactivate', 'notify'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "key_policies" cascade;`);

    this.addSql(`drop index "api_keys_rotation_due_idx";`);
    this.addSql(`alter table "api_keys" drop column "reactivated_at", drop column "rotation_reminded_at";`);

    this.addSql(`alter table "events" drop constraint "events_type_check";`);
    this.addSql(
      `alter table "events" add constraint "events_type_check" check ("type" in ('key.expiring', 'key.expired', 'key.quota_exceeded', 'key.revoked', 'key.new_ip', 'ip.blocked'));`,
    );

    this.addSql(`alter table "security_events" drop constraint "security_events_kind_check";`);
    this.addSql(
      `alter table "security_events" add constraint "security_events_kind_check" check ("kind" in ('failed_auth', 'ip_blocked', 'ip_unblocked', 'quota_exceeded', 'new_ip'));`,
    );
  }
}
