import { Migration } from '@mikro-orm/migrations';

export class Migration20261122084220_webhook_secret_rotation extends Migration {
  override name = 'Migration20261122084220_webhook_secret_rotation';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "webhook_endpoints" add "previous_secret_ciphertext" text null, add "previous_secret_expires_at" timestamptz null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table "webhook_endpoints" drop column "previous_secret_ciphertext", drop column "previous_secret_expires_at";`,
    );
  }
}
