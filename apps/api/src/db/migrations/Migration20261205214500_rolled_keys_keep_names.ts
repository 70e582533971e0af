import { Migration } from '@mikro-orm/migrations';

/**
 * A rolled key keeps its name (issue 11): names are unique only among keys that are not rolled,
 * and the names earlier rolls renamed to `Name (rolled, key_…)` get their name back.
 */
export class Migration20261205214500_rolled_keys_keep_names extends Migration {
  override name = 'Migration20261205214500_rolled_keys_keep_names';

  override up(): void | Promise<void> {
    this.addSql(`alter table "api_keys" drop constraint "api_keys_org_name_unique";`);
    this.addSql(
      `create unique index "api_keys_org_name_unique" on "api_keys" ("organization_id", "name_normalized") where "rolled_to_id" is null;`,
    );
    this.addSql(
      `update "api_keys" set "name" = left("name", length("name") - length(' (rolled, ' || "id" || ')')),
         "name_normalized" = lower(left("name", length("name") - length(' (rolled, ' || "id" || ')')))
       where "rolled_to_id" is not null and right("name", length(' (rolled, ' || "id" || ')')) = ' (rolled, ' || "id" || ')';`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `update "api_keys" set "name" = left("name", 96) || ' (rolled, ' || "id" || ')',
         "name_normalized" = lower(left("name", 96) || ' (rolled, ' || "id" || ')')
       where "rolled_to_id" is not null;`,
    );
    this.addSql(`drop index "api_keys_org_name_unique";`);
    this.addSql(
      `alter table "api_keys" add constraint "api_keys_org_name_unique" unique ("organization_id", "name_normalized");`,
    );
  }
}
