import { Migration } from '@mikro-orm/migrations';

export class Migration20261122084141_request_log_retention extends Migration {
  override name = 'Migration20261122084141_request_log_retention';

  override up(): void | Promise<void> {
    this.addSql(`create index "request_logs_time_brin_idx" on "request_logs" using brin ("time");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "request_logs_time_brin_idx";`);
  }
}
