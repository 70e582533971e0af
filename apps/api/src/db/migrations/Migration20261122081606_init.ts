import { Migration } from '@mikro-orm/migrations';

export class Migration20261122081606_init extends Migration {

  override name = 'Migration20261122081606_init';

  override up(): void | Promise<void> {
    this.addSql(`create table "audit_events" ("id" varchar(24) not null, "organization_id" varchar(24) not null, "actor_type" text not null, "actor_id" varchar(24) null, "actor_label" varchar(320) not null, "action" varchar(64) not null, "target_type" varchar(32) not null, "target_id" varchar(24) null, "target_label" varchar(320) null, "ip" varchar(45) null, "before" jsonb null, "after" jsonb null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "audit_events_organization_id_created_at_index" on "audit_events" ("organization_id", "created_at");`);
    this.addSql(`create index "audit_events_organization_id_actor_id_created_at_index" on "audit_events" ("organization_id", "actor_id", "created_at");`);
    this.addSql(`create index "audit_events_organization_id_target_id_created_at_index" on "audit_events" ("organization_id", "target_id", "created_at");`);

    this.addSql(`create table "organizations" ("id" varchar(24) not null, "name" varchar(128) not null, "slug" varchar(48) not null, "plan" text not null default 'free', "key_prefix" varchar(8) not null default 'sk', "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "organizations" add constraint "organizations_slug_unique" unique ("slug");`);

    this.addSql(`create table "spaces" ("id" varchar(24) not null, "organization_id" varchar(24) not null, "name" varchar(64) not null, "slug" varchar(48) not null, "logo_color" varchar(7) not null, "logo_url" varchar(2048) null, "scope_catalog" jsonb not null, "archived_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "spaces" add constraint "spaces_organization_id_slug_unique" unique ("organization_id", "slug");`);

    this.addSql(`create table "users" ("id" varchar(24) not null, "email" varchar(320) not null, "email_normalized" varchar(320) not null, "display_name" varchar(128) not null, "avatar_color" varchar(7) not null, "password_hash" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "users" add constraint "users_email_normalized_unique" unique ("email_normalized");`);

    this.addSql(`create table "space_memberships" ("id" varchar(24) not null, "organization_id" varchar(24) not null, "space_id" varchar(24) not null, "user_id" varchar(24) not null, "role" text not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "space_memberships_organization_id_user_id_index" on "space_memberships" ("organization_id", "user_id");`);
    this.addSql(`alter table "space_memberships" add constraint "space_memberships_space_id_user_id_unique" unique ("space_id", "user_id");`);

    this.addSql(`create table "sessions" ("id" varchar(64) not null, "user_id" varchar(24) not null, "expires_at" timestamptz not null, "absolute_expires_at" timestamptz not null, "created_at" timestamptz not null, "ip" varchar(45) null, "user_agent" varchar(512) null, primary key ("id"));`);
    this.addSql(`create index "sessions_user_id_index" on "sessions" ("user_id");`);

    this.addSql(`create table "memberships" ("id" varchar(24) not null, "organization_id" varchar(24) not null, "user_id" varchar(24) not null, "role" text not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "memberships_user_id_index" on "memberships" ("user_id");`);
    this.addSql(`alter table "memberships" add constraint "memberships_organization_id_user_id_unique" unique ("organization_id", "user_id");`);

    this.addSql(`create table "invitations" ("id" varchar(24) not null, "organization_id" varchar(24) not null, "email" varchar(320) not null, "email_normalized" varchar(320) not null, "role" text not null, "token_hash" varchar(64) not null, "invited_by_id" varchar(24) null, "expires_at" timestamptz not null, "accepted_at" timestamptz null, "accepted_by_id" varchar(24) null, "revoked_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "invitations" add constraint "invitations_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "invitations_organization_id_created_at_index" on "invitations" ("organization_id", "created_at");`);

    this.addSql(`alter table "audit_events" add constraint "audit_events_actor_type_check" check ("actor_type" in ('user', 'key', 'system'));`);

    this.addSql(`alter table "organizations" add constraint "organizations_plan_check" check ("plan" in ('free', 'pro', 'team', 'enterprise'));`);

    this.addSql(`alter table "spaces" add constraint "spaces_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);

    this.addSql(`alter table "space_memberships" add constraint "space_memberships_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);
    this.addSql(`alter table "space_memberships" add constraint "space_memberships_space_id_foreign" foreign key ("space_id") references "spaces" ("id") on delete cascade;`);
    this.addSql(`alter table "space_memberships" add constraint "space_memberships_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "space_memberships" add constraint "space_memberships_role_check" check ("role" in ('admin', 'developer', 'viewer'));`);

    this.addSql(`alter table "sessions" add constraint "sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "memberships" add constraint "memberships_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);
    this.addSql(`alter table "memberships" add constraint "memberships_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "memberships" add constraint "memberships_role_check" check ("role" in ('owner', 'admin', 'member'));`);

    this.addSql(`alter table "invitations" add constraint "invitations_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`);
    this.addSql(`alter table "invitations" add constraint "invitations_invited_by_id_foreign" foreign key ("invited_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "invitations" add constraint "invitations_accepted_by_id_foreign" foreign key ("accepted_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "invitations" add constraint "invitations_role_check" check ("role" in ('owner', 'admin', 'member'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "spaces" drop constraint "spaces_organization_id_foreign";`);
    this.addSql(`alter table "space_memberships" drop constraint "space_memberships_organization_id_foreign";`);
    this.addSql(`alter table "memberships" drop constraint "memberships_organization_id_foreign";`);
    this.addSql(`alter table "invitations" drop constraint "invitations_organization_id_foreign";`);
    this.addSql(`alter table "space_memberships" drop constraint "space_memberships_space_id_foreign";`);
    this.addSql(`alter table "space_memberships" drop constraint "space_memberships_user_id_foreign";`);
    this.addSql(`alter table "sessions" drop constraint "sessions_user_id_foreign";`);
    this.addSql(`alter table "memberships" drop constraint "memberships_user_id_foreign";`);
    this.addSql(`alter table "invitations" drop constraint "invitations_invited_by_id_foreign";`);
    this.addSql(`alter table "invitations" drop constraint "invitations_accepted_by_id_foreign";`);

    this.addSql(`drop table if exists "audit_events" cascade;`);
    this.addSql(`drop table if exists "organizations" cascade;`);
    this.addSql(`drop table if exists "spaces" cascade;`);
    this.addSql(`drop table if exists "users" cascade;`);
    this.addSql(`drop table if exists "space_memberships" cascade;`);
    this.addSql(`drop table if exists "sessions" cascade;`);
    this.addSql(`drop table if exists "memberships" cascade;`);
    this.addSql(`drop table if exists "invitations" cascade;`);
  }

}
