/**
 * Runs an Argo CD health check script the way Argo CD does (argoproj/argo-cd v3.4.4 util/lua/lua.go
 * runLuaWithResourceActionParameters and ExecuteHealthLua): the standard libraries off but for base and
 * table (the reduced `os` and `package` are left out: a script needing them fails here), the live object
 * as the global `obj`, the returned table read as `{ status, message }`. Lua itself is fengari (Lua 5.3
 * in JavaScript); Argo CD embeds gopher-lua (Lua 5.1): keep scripts to what both share.
 */
// fengari ships no type declarations: the few functions used here, typed by hand.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fengari = require('fengari') as {
  lua: Record<string, (...args: unknown[]) => unknown> & { LUA_OK: number; LUA_TTABLE: number };
  lauxlib: Record<string, (...args: unknown[]) => unknown>;
  lualib: Record<string, (...args: unknown[]) => unknown>;
  to_luastring: (s: string) => Uint8Array;
  to_jsstring: (s: unknown) => string;
};
const { lua, lauxlib, lualib, to_luastring, to_jsstring } = fengari;

export interface HealthStatus {
  readonly status?: string;
  readonly message?: string;
}

/** A JSON value as a Lua expression: keys as `["..."] =`, strings JSON-quoted (the same escapes in Lua for ASCII). */
function luaLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `{ ${value.map(luaLiteral).join(', ')} }`;
  return `{ ${Object.entries(value as Record<string, unknown>).map(([k, v]) => `[${JSON.stringify(k)}] = ${luaLiteral(v)}`).join(', ')} }`;
}

/** The health a script reports for `obj`; throws with Lua's message when the script fails. */
export function runHealthLua(script: string, obj: Record<string, unknown>): HealthStatus {
  for (const s of JSON.stringify(obj)) if (s.charCodeAt(0) > 0x7e) throw new Error('runHealthLua: test objects must be ASCII');
  const L = lauxlib.luaL_newstate();
  lauxlib.luaL_requiref(L, to_luastring('_G'), lualib.luaopen_base, 1);
  lua.lua_pop(L, 1);
  lauxlib.luaL_requiref(L, to_luastring('table'), lualib.luaopen_table, 1);
  lua.lua_pop(L, 1);
  const source = `obj = ${luaLiteral(obj)}\n${script}`;
  const fail = () => new Error(`Lua: ${to_jsstring(lua.lua_tostring(L, -1))}`);
  if (lauxlib.luaL_loadstring(L, to_luastring(source)) !== lua.LUA_OK) throw fail();
  if (lua.lua_pcall(L, 0, 1, 0) !== lua.LUA_OK) throw fail();
  if (lua.lua_type(L, -1) !== lua.LUA_TTABLE) throw new Error('Lua: the script returned no table');
  const field = (name: string): string | undefined => {
    lua.lua_getfield(L, -1, to_luastring(name));
    const v = lua.lua_isnil(L, -1) ? undefined : to_jsstring(lua.lua_tostring(L, -1));
    lua.lua_pop(L, 1);
    return v;
  };
  return { status: field('status'), message: field('message') };
}
