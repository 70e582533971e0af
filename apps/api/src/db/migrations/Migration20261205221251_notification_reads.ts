import { Migration } from '@mikro-orm/migrations';

export class Migration20261205221251_notification_reads extends Migration {
  override name = 'Migration20261205221251_notification_reads';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "notification_marks" ("id" varchar(24) not null, "organization_id" varchar(24) not null, "user_id" varchar(24) not null, "read_before" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "notification_marks" add constraint "notification_marks_org_user_unique" unique ("organization_id", "user_id");`,
    );

    this.addSql(
      `create table "notification_reads" ("id" varchar(24) not null, "organization_id" varchar(24) not null, "user_id" varchar(24) not null, "event_id" varchar(24) not null, "read_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "notification_reads" add constraint "notification_reads_user_event_unique" unique ("user_id", "event_id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "notification_marks" cascade;`);
    this.addSql(`drop table if exists "notification_reads" cascade;`);
  }
}
