import { Migration } from '@mikro-orm/migrations';

export class Migration20261205221100_webhook_test_event extends Migration {
  override name = 'Migration20261205221100_webhook_test_event';

  override up(): void | Promise<void> {
    this.addSql(`alter table "events" drop constraint "events_type_check";`);
    this.addSql(
      `alter table "events" add constraint "events_type_check" check ("type" in ('key.expiring', 'key.expired', 'key.quota_exceeded', 'key.revoked', 'key.new_ip', 'ip.blocked', 'webhook.test'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "events" drop constraint "events_type_check";`);
    this.addSql(
      `alter table "events" add constraint "events_type_check" check ("type" in ('key.expiring', 'key.expired', 'key.quota_exceeded', 'key.revoked', 'key.new_ip', 'ip.blocked'));`,
    );
  }
}
