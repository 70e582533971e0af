import { Migration } from '@mikro-orm/migrations';

export class Migration20261122083703_notifications extends Migration {
  override name = 'Migration20261122083703_notifications';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "events" ("id" varchar(24) not null, "organization_id" varchar(24) not null, "type" text not null, "payload" jsonb not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "events_org_time_idx" on "events" ("organization_id", "created_at", "id");`);

    this.addSql(
      `create table "key_ips" ("key_id" varchar(20) not null, "ip" varchar(45) not null, "organization_id" varchar(24) not null, "first_seen_at" timestamptz not null, primary key ("key_id", "ip"));`,
    );

    this.addSql(
      `create table "security_events" ("id" varchar(24) not null, "organization_id" varchar(24) null, "kind" text not null, "ip" varchar(45) null, "key_id" varchar(20) null, "details" jsonb not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "security_events_org_time_idx" on "security_events" ("organization_id", "created_at");`,
    );
    this.addSql(`create index "security_events_ip_time_idx" on "security_events" ("ip", "created_at");`);

    this.addSql(
      `create table "webhook_endpoints" ("id" varchar(24) not null, "organization_id" varchar(24) not null, "url" varchar(2048) not null, "description" varchar(256) not null default '', "events" jsonb not null, "secret_ciphertext" text not null, "secret_hint" varchar(32) not null, "active" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_endpoints_org_idx" on "webhook_endpoints" ("organization_id", "created_at");`,
    );

    this.addSql(
      `create table "webhook_deliveries" ("id" varchar(24) not null, "organization_id" varchar(24) not null, "event_id" varchar(24) not null, "endpoint_id" varchar(24) not null, "status" text not null default 'pending', "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "last_attempt_at" timestamptz null, "last_status_code" int null, "last_error" varchar(1024) null, "delivered_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_deliveries_due_idx" on "webhook_deliveries" ("status", "next_attempt_at");`,
    );
    this.addSql(
      `create index "webhook_deliveries_endpoint_idx" on "webhook_deliveries" ("endpoint_id", "created_at");`,
    );

    this.addSql(
      `alter table "api_keys" add "expiry_warned_at" timestamptz null, add "expired_notified_at" timestamptz null;`,
    );

    this.addSql(
      `alter table "events" add constraint "events_type_check" check ("type" in ('key.expiring', 'key.expired', 'key.quota_exceeded', 'key.revoked', 'key.new_ip', 'ip.blocked'));`,
    );

    this.addSql(
      `alter table "security_events" add constraint "security_events_kind_check" check ("kind" in ('failed_auth', 'ip_blocked', 'ip_unblocked', 'quota_exceeded', 'new_ip'));`,
    );

    this.addSql(
      `alter table "webhook_endpoints" add constraint "webhook_endpoints_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_event_id_foreign" foreign key ("event_id") references "events" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoints" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_status_check" check ("status" in ('pending', 'delivered', 'failed'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "webhook_deliveries" drop constraint "webhook_deliveries_event_id_foreign";`);
    this.addSql(`alter table "webhook_deliveries" drop constraint "webhook_deliveries_endpoint_id_foreign";`);

    this.addSql(`drop table if exists "events" cascade;`);
    this.addSql(`drop table if exists "key_ips" cascade;`);
    this.addSql(`drop table if exists "security_events" cascade;`);
    this.addSql(`drop table if exists "webhook_endpoints" cascade;`);
    this.addSql(`drop table if exists "webhook_deliveries" cascade;`);

    this.addSql(`alter table "api_keys" drop column "expiry_warned_at", drop column "expired_notified_at";`);
  }
}
