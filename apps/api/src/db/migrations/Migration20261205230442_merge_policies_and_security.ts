import { Migration } from '@mikro-orm/migrations';

export class Migration20261205230442_merge_policies_and_security extends Migration {
  override name = 'Migration20261205230442_merge_policies_and_security';

  override up(): void | Promise<void> {
    this.addSql(`alter table "events" drop constraint "events_type_check";`);
    this.addSql(
      `alter table "events" add constraint "events_type_check" check ("type" in ('key.expiring', 'key.expired', 'key.quota_exceeded', 'key.revoked', 'key.new_ip', 'ip.blocked', 'ip.failed_auth_burst', 'key.idle_deactivated', 'key.rotation_due', 'key.leaked'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "events" drop constraint "events_type_check";`);
    this.addSql(
      `alter table "events" add constraint "events_type_check" check ("type" in ('key.expiring', 'key.expired', 'key.quota_exceeded', 'key.revoked', 'key.new_ip', 'ip.blocked', 'ip.failed_auth_burst'));`,
    );
  }
}
