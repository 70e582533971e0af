import { Migration } from '@mikro-orm/migrations';

export class Migration20261122081712_init extends Migration {
  override name = 'Migration20261122081712_init';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "audit_events" ("id" varchar(24) not null, "organization_id" varchar(24) not null, "actor_type" text not null, "actor_id" varchar(24) null, "actor_label" varchar(320) not null, "action" varchar(64) not null, "target_type" varchar(32) not null, "target_id" varchar(24) null, "target_label" varchar(320) null, "ip" varchar(45) null, "before" jsonb null, "after" jsonb null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "audit_events_organization_id_created_at_index" on "audit_events" ("organization_id", "created_at");`,
    );
    this.addSql(
      `create index "audit_events_organization_id_actor_id_created_at_index" on "audit_events" ("organization_id", "actor_id", "created_at");`,
    );
    this.addSql(
      `create index "audit_events_organization_id_target_id_created_at_index" on "audit_events" ("organization_id", "target_id", "created_at");`,
    );

    this.addSql(
      `create table "organizations" ("id" varchar(24) not null, "name" varchar(128) not null, "slug" varchar(48) not null, "plan" text not null default 'free', "key_prefix" varchar(8) not null default 'sk', "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "organizations" add constraint "organizations_slug_unique" unique ("slug");`);

    this.addSql(
      `create table "request_logs" ("id" bigserial primary key, "organization_id" varchar(24) not null, "space_id" varchar(24) null, "key_id" varchar(20) null, "time" timestamptz not null, "method" varchar(8) not null, "endpoint" varchar(512) not null, "status" smallint not null, "duration_ms" real not null, "ip" varchar(45) null, "credits" int not null default 0, "code" varchar(32) not null);`,
    );
    this.addSql(`create index "request_logs_key_time_idx" on "request_logs" ("key_id", "time", "id");`);
    this.addSql(
      `create index "request_logs_org_time_idx" on "request_logs" ("organization_id", "time", "id");`,
    );
    this.addSql(`create index "request_logs_space_time_idx" on "request_logs" ("space_id", "time", "id");`);

    this.addSql(
      `create table "spaces" ("id" varchar(24) not null, "organization_id" varchar(24) not null, "name" varchar(64) not null, "slug" varchar(48) not null, "logo_color" varchar(7) not null, "logo_url" varchar(2048) null, "scope_catalog" jsonb not null, "archived_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "spaces" add constraint "spaces_organization_id_slug_unique" unique ("organization_id", "slug");`,
    );

    this.addSql(
      `create table "usage_buckets" ("key_id" varchar(20) not null, "granularity" text not null, "bucket_start" timestamptz not null, "organization_id" varchar(24) not null, "credits" bigint not null default '0', primary key ("key_id", "granularity", "bucket_start"));`,
    );
    this.addSql(
      `create index "usage_buckets_org_idx" on "usage_buckets" ("organization_id", "bucket_start");`,
    );

    this.addSql(
      `create table "users" ("id" varchar(24) not null, "email" varchar(320) not null, "email_normalized" varchar(320) not null, "display_name" varchar(128) not null, "avatar_color" varchar(7) not null, "password_hash" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "users" add constraint "users_email_normalized_unique" unique ("email_normalized");`,
    );

    this.addSql(
      `create table "space_memberships" ("id" varchar(24) not null, "organization_id" varchar(24) not null, "space_id" varchar(24) not null, "user_id" varchar(24) not null, "role" text not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "space_memberships_organization_id_user_id_index" on "space_memberships" ("organization_id", "user_id");`,
    );
    this.addSql(
      `alter table "space_memberships" add constraint "space_memberships_space_id_user_id_unique" unique ("space_id", "user_id");`,
    );

    this.addSql(
      `create table "sessions" ("id" varchar(64) not null, "user_id" varchar(24) not null, "expires_at" timestamptz not null, "absolute_expires_at" timestamptz not null, "created_at" timestamptz not null, "ip" varchar(45) null, "user_agent" varchar(512) null, primary key ("id"));`,
    );
    this.addSql(`create index "sessions_user_id_index" on "sessions" ("user_id");`);

    this.addSql(
      `create table "memberships" ("id" varchar(24) not null, "organization_id" varchar(24) not null, "user_id" varchar(24) not null, "role" text not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "memberships_user_id_index" on "memberships" ("user_id");`);
    this.addSql(
      `alter table "memberships" add constraint "memberships_organization_id_user_id_unique" unique ("organization_id", "user_id");`,
    );

    this.addSql(
      `create table "invitations" ("id" varchar(24) not null, "organization_id" varchar(24) not null, "email" varchar(320) not null, "email_normalized" varchar(320) not null, "role" text not null, "token_hash" varchar(64) not null, "invited_by_id" varchar(24) null, "expires_at" timestamptz not null, "accepted_at" timestamptz null, "accepted_by_id" varchar(24) null, "revoked_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "invitations" add constraint "invitations_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(
      `create index "invitations_organization_id_created_at_index" on "invitations" ("organization_id", "created_at");`,
    );

    this.addSql(
      `create table "api_keys" ("id" varchar(20) not null, "organization_id" varchar(24) not null, "space_id" varchar(24) not null, "owner_user_id" varchar(24) null, "owner_key_id" varchar(20) null, "name" varchar(128) not null, "name_normalized" varchar(128) not null, "description" varchar(1024) not null default '', "category" varchar(32) not null, "environment" text not null, "scopes" jsonb not null, "secret_hash" varchar(64) not null, "preview" varchar(40) not null, "expires_at" timestamptz null, "active" boolean not null default true, "revoked_at" timestamptz null, "quota_total" int null, "quota_daily" int null, "quota_weekly" int null, "quota_monthly" int null, "rate_limit_per_second" int null, "rate_limit_per_minute" int null, "ip_allowlist" jsonb not null, "auto_renew" boolean not null default false, "grace_ends_at" timestamptz null, "rolled_to_id" varchar(20) null, "rolled_from_id" varchar(20) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "last_used_at" timestamptz null, "last_used_ip" varchar(45) null, "version" int not null default 1, primary key ("id"));`,
    );
    this.addSql(
      `create index "api_keys_org_created_idx" on "api_keys" ("organization_id", "created_at", "id");`,
    );
    this.addSql(
      `create index "api_keys_org_last_used_idx" on "api_keys" ("organization_id", "last_used_at", "id");`,
    );
    this.addSql(
      `create index "api_keys_org_space_created_idx" on "api_keys" ("organization_id", "space_id", "created_at", "id");`,
    );
    this.addSql(`create index "api_keys_org_owner_idx" on "api_keys" ("organization_id", "owner_user_id");`);
    this.addSql(`create index "api_keys_grace_idx" on "api_keys" ("grace_ends_at");`);
    this.addSql(`create index "api_keys_expires_idx" on "api_keys" ("expires_at");`);
    this.addSql(
      `alter table "api_keys" add constraint "api_keys_org_name_unique" unique ("organization_id", "name_normalized");`,
    );

    this.addSql(
      `alter table "audit_events" add constraint "audit_events_actor_type_check" check ("actor_type" in ('user', 'key', 'system'));`,
    );

    this.addSql(
      `alter table "organizations" add constraint "organizations_plan_check" check ("plan" in ('free', 'pro', 'team', 'enterprise'));`,
    );

    this.addSql(
      `alter table "spaces" add constraint "spaces_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "usage_buckets" add constraint "usage_buckets_granularity_check" check ("granularity" in ('minute', 'hour', 'total'));`,
    );

    this.addSql(
      `alter table "space_memberships" add constraint "space_memberships_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "space_memberships" add constraint "space_memberships_space_id_foreign" foreign key ("space_id") references "spaces" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "space_memberships" add constraint "space_memberships_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "space_memberships" add constraint "space_memberships_role_check" check ("role" in ('admin', 'developer', 'viewer'));`,
    );

    this.addSql(
      `alter table "sessions" add constraint "sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "memberships" add constraint "memberships_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "memberships" add constraint "memberships_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "memberships" add constraint "memberships_role_check" check ("role" in ('owner', 'admin', 'member'));`,
    );

    this.addSql(
      `alter table "invitations" add constraint "invitations_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "invitations" add constraint "invitations_invited_by_id_foreign" foreign key ("invited_by_id") references "users" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "invitations" add constraint "invitations_accepted_by_id_foreign" foreign key ("accepted_by_id") references "users" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "invitations" add constraint "invitations_role_check" check ("role" in ('owner', 'admin', 'member'));`,
    );

    this.addSql(
      `alter table "api_keys" add constraint "api_keys_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "api_keys" add constraint "api_keys_space_id_foreign" foreign key ("space_id") references "spaces" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "api_keys" add constraint "api_keys_owner_user_id_foreign" foreign key ("owner_user_id") references "users" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "api_keys" add constraint "api_keys_environment_check" check ("environment" in ('live', 'test'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "spaces" drop constraint "spaces_organization_id_foreign";`);
    this.addSql(
      `alter table "space_memberships" drop constraint "space_memberships_organization_id_foreign";`,
    );
    this.addSql(`alter table "memberships" drop constraint "memberships_organization_id_foreign";`);
    this.addSql(`alter table "invitations" drop constraint "invitations_organization_id_foreign";`);
    this.addSql(`alter table "api_keys" drop constraint "api_keys_organization_id_foreign";`);
    this.addSql(`alter table "space_memberships" drop constraint "space_memberships_space_id_foreign";`);
    this.addSql(`alter table "api_keys" drop constraint "api_keys_space_id_foreign";`);
    this.addSql(`alter table "space_memberships" drop constraint "space_memberships_user_id_foreign";`);
    this.addSql(`alter table "sessions" drop constraint "sessions_user_id_foreign";`);
    this.addSql(`alter table "memberships" drop constraint "memberships_user_id_foreign";`);
    this.addSql(`alter table "invitations" drop constraint "invitations_invited_by_id_foreign";`);
    this.addSql(`alter table "invitations" drop constraint "invitations_accepted_by_id_foreign";`);
    this.addSql(`alter table "api_keys" drop constraint "api_keys_owner_user_id_foreign";`);

    this.addSql(`drop table if exists "audit_events" cascade;`);
    this.addSql(`drop table if exists "organizations" cascade;`);
    this.addSql(`drop table if exists "request_logs" cascade;`);
    this.addSql(`drop table if exists "spaces" cascade;`);
    this.addSql(`drop table if exists "usage_buckets" cascade;`);
    this.addSql(`drop table if exists "users" cascade;`);
    this.addSql(`drop table if exists "space_memberships" cascade;`);
    this.addSql(`drop table if exists "sessions" cascade;`);
    this.addSql(`drop table if exists "memberships" cascade;`);
    this.addSql(`drop table if exists "invitations" cascade;`);
    this.addSql(`drop table if exists "api_keys" cascade;`);
  }
}
