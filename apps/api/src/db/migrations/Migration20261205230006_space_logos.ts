import { Migration } from '@mikro-orm/migrations';

export class Migration20261205230006_space_logos extends Migration {
  override name = 'Migration20261205230006_space_logos';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "space_logos" ("space_id" varchar(24) not null, "organization_id" varchar(24) not null, "hash" varchar(32) not null, "content_type" varchar(32) not null, "content" bytea not null, "created_at" timestamptz not null, primary key ("space_id"));`,
    );
    this.addSql(`create index "space_logos_hash_idx" on "space_logos" ("hash");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "space_logos" cascade;`);
  }
}
