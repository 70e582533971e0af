import { Migration } from '@mikro-orm/migrations';

export class Migration20261122081829_key_lifetime extends Migration {
  override name = 'Migration20261122081829_key_lifetime';

  override up(): void | Promise<void> {
    this.addSql(`alter table "api_keys" add "lifetime_seconds" int null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "api_keys" drop column "lifetime_seconds";`);
  }
}
