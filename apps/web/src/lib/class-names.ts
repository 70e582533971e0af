/** Joins the truthy class names: `classNames('btn', active && 'is-active')`. */
export function classNames(...names: ReadonlyArray<string | false | null | undefined>): string {
  return names.filter(Boolean).join(' ');
}
