/**
 * The environment variable through which LightDL tells its workers which user modules
 * (`[{ href, export }]`, as JSON) to load when they start.
 *
 * @internal
 */
export const PRELOAD_ENV = 'LIGHTDL_TREE_PRELOAD';
