// The part of js-yaml 3 (a devDependency without bundled types) the deploy test uses.
declare module 'js-yaml' {
  export function safeLoad(text: string): unknown;
  export function safeLoadAll(text: string): unknown[];
}
