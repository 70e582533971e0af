import { type ComponentType, type LazyExoticComponent, lazy } from 'react';

/** A screen loaded on first use, as its own chunk. */
export interface LazyPage {
  Component: LazyExoticComponent<ComponentType>;
  /** Starts loading the chunk (idempotent): at startup for the URL being opened, on hover for links. */
  preload: () => Promise<unknown>;
}

/**
 * Splits a screen into its own chunk, so the first visit downloads only the shell and the screen
 * it opens. `load` is `() => import('./x-page')` and `name` the exported component.
 */
export function lazyPage<TName extends string>(
  load: () => Promise<Record<TName, ComponentType>>,
  name: TName,
): LazyPage {
  let loading: Promise<{ default: ComponentType }> | undefined;
  const preload = () => {
    loading ??= load().then((module) => ({ default: module[name] }));
    return loading;
  };
  return { Component: lazy(preload), preload };
}
