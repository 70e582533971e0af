import { Migration } from '@mikro-orm/migrations';

export class Migration20261122093634_last_used_index extends Migration {
  override name = 'Migration20261122093634_last_used_index';

  override up(): void | Promise<void> {
    this.addSql(`drop index "api_keys_org_last_used_idx";`);
    this.addSql(
      `create index "api_keys_org_last_used_desc_idx" on "api_keys" ("organization_id", "last_used_at" desc nulls last, "id" desc);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "api_keys_org_last_used_desc_idx";`);
    this.addSql(
      `create index "api_keys_org_last_used_idx" on "api_keys" ("organization_id", "last_used_at", "id");`,
    );
  }
}
