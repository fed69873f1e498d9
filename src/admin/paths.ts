/** `/__admin/...`, of the main instance or a sandbox (`/__sandbox/<id>/__admin/...`). */
export const isAdminPath = (path: string) => /^(\/__sandbox\/[^/]+)?\/__admin(\/|$)/.test(path);
