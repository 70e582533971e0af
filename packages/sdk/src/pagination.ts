/**
 * A list call: `await` it for the first page, or iterate it with `for await` for every item
 * across pages (`.pages()` for the pages themselves). Nothing is fetched until one of the
 * two happens, and awaiting twice fetches once.
 */
export class PageRequest<Page, Item> implements PromiseLike<Page>, AsyncIterable<Item> {
  private first: Promise<Page> | null = null;

  /**
   * @param fetchFirst loads the first page
   * @param fetchNext loads the page after `page`, or returns null when `page` is the last
   * @param itemsOf the items of a page
   */
  constructor(
    private readonly fetchFirst: () => Promise<Page>,
    private readonly fetchNext: (page: Page) => Promise<Page> | null,
    private readonly itemsOf: (page: Page) => readonly Item[],
  ) {}

  private firstPage(): Promise<Page> {
    this.first ??= this.fetchFirst();
    return this.first;
  }

  // biome-ignore lint/suspicious/noThenProperty: a list call is awaitable by design (like Stripe's auto-pagination).
  then<A = Page, B = never>(
    onFulfilled?: ((page: Page) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.firstPage().then(onFulfilled, onRejected);
  }

  /** Every page in order, fetched one at a time as the loop asks for it. */
  async *pages(): AsyncGenerator<Page, void, undefined> {
    let page: Page | null = await this.firstPage();
    while (page !== null) {
      yield page;
      const next = this.fetchNext(page);
      page = next === null ? null : await next;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    for await (const page of this.pages()) yield* this.itemsOf(page);
  }
}
