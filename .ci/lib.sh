# shellcheck shell=bash
# Keysmith provisioning helpers, sourced by ./run, .ci/run and the bench scripts.
#
#   source .ci/lib.sh
#   ks_provision_node      Node >= 22.17 + pnpm on PATH (installs both into ./.tools if needed)
#   ks_pnpm_install        pnpm install --frozen-lockfile when node_modules is missing or stale
#   ks_ensure_chromium     /usr/bin/chromium (apt-get install chromium when root)
#   ks_ensure_redis        redis-server + redis-cli (apt-get install redis-server when root)
#   ks_ensure_postgres     PostgreSQL server binaries; sets KS_PG_BIN
#   ks_start_postgres      throwaway cluster on 127.0.0.1; exports TEST_DATABASE_URL, KS_PG_DIR, KS_PG_PORT
#   ks_stop_postgres       stop it and delete its directory
#   ks_start_redis         throwaway redis-server on 127.0.0.1; exports TEST_REDIS_URL, KS_REDIS_DIR, KS_REDIS_PORT
#   ks_stop_redis          stop it and delete its directory
#
# Every function is idempotent, prints `==> ...` progress lines on stderr and returns non-zero
# with an `error:` line when it cannot do its job. They do not rely on `set -e`, so they behave
# the same when sourced into an interactive shell.

# Repository root: the parent of the directory holding this file.
KS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export KS_ROOT

: "${KS_NODE_SPEC:=22}"         # npm spec of the `node` package installed into .tools
: "${KS_NODE_MIN:=22.17}"       # oldest Node accepted (matches package.json engines / tooling/check-node.mjs)
: "${KS_PG_DEFAULT_PORT:=54329}"
: "${KS_REDIS_DEFAULT_PORT:=63799}"
: "${KS_CHROMIUM:=/usr/bin/chromium}"

ks_log() { printf '==> %s\n' "$*" >&2; }
ks_warn() { printf '==> warning: %s\n' "$*" >&2; }
ks_err() { printf '==> error: %s\n' "$*" >&2; }

ks__is_root() { [[ $(id -u) -eq 0 ]]; }

# pnpm version wanted: the one pinned by package.json's "packageManager".
ks_pnpm_version() {
  local v=""
  if [[ -f $KS_ROOT/package.json ]]; then
    v=$(sed -n 's/.*"packageManager"[[:space:]]*:[[:space:]]*"pnpm@\([0-9][^"+]*\).*/\1/p' "$KS_ROOT/package.json" | head -n1)
  fi
  printf '%s\n' "${v:-10.34.9}"
}

# ---------------------------------------------------------------------------------------------
# apt
# ---------------------------------------------------------------------------------------------

# ks_apt_install PKG...: install Debian packages; `apt-get update` runs at most once per shell.
ks_apt_install() {
  (($# > 0)) || return 0
  if ! ks__is_root; then
    ks_err "need Debian package(s) $*, but not running as root. Install them with:"
    printf '      sudo apt-get update && sudo apt-get install -y %s\n' "$*" >&2
    return 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    ks_err "need package(s) $* but apt-get is not available; install them by hand"
    return 1
  fi
  local apt_opts=(-q -o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0)
  if [[ -z ${KS__APT_UPDATED:-} ]]; then
    ks_log "apt-get update"
    if ! DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" update </dev/null >&2; then
      ks_err "apt-get update failed"
      return 1
    fi
    KS__APT_UPDATED=1
  fi
  ks_log "apt-get install $*"
  if ! DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y "$@" </dev/null >&2; then
    ks_err "apt-get install $* failed"
    return 1
  fi
}

# ---------------------------------------------------------------------------------------------
# Node 22 + pnpm
# ---------------------------------------------------------------------------------------------

# ks__node_ok NODE: NODE runs and is >= KS_NODE_MIN.
ks__node_ok() {
  local node=$1 want_major want_minor
  want_major=${KS_NODE_MIN%%.*}
  want_minor=${KS_NODE_MIN#*.}
  [[ -n $node ]] || return 1
  "$node" -e "const [a, b] = process.versions.node.split('.').map(Number);
    process.exit(a > $want_major || (a === $want_major && b >= $want_minor) ? 0 : 1);" >/dev/null 2>&1
}

# ks__pnpm_version DIR_OR_EMPTY: pnpm's version, with DIR prepended to PATH (or as PATH is).
ks__pnpm_version() {
  local dir=$1 p=$PATH
  [[ -n $dir ]] && p="$dir:$PATH"
  (
    cd / && PATH=$p COREPACK_ENABLE_DOWNLOAD_PROMPT=0 pnpm --version </dev/null 2>/dev/null
  ) | tail -n1
}

# ks__tools_ok: ./.tools holds a working Node >= KS_NODE_MIN and the pinned pnpm.
ks__tools_ok() {
  local bin=$KS_ROOT/.tools/node_modules/.bin
  [[ -x $bin/node && -x $bin/pnpm ]] || return 1
  ks__node_ok "$bin/node" || return 1
  [[ $(ks__pnpm_version "$bin") == "$(ks_pnpm_version)" ]]
}

ks__prepend_tools_path() {
  local bin=$KS_ROOT/.tools/node_modules/.bin
  case ":$PATH:" in
    ":$bin:"*) ;; # already first
    *) export PATH="$bin:$PATH" ;;
  esac
  hash -r
}

# ks_provision_node: make `node` (>= 22.17) and `pnpm` (>= 10) the ones on PATH. Keeps what is
# on PATH when it is good enough; otherwise installs node@22 and the pinned pnpm from the npm
# registry into ./.tools (gitignored) and prepends ./.tools/node_modules/.bin to PATH.
ks_provision_node() {
  local bin=$KS_ROOT/.tools/node_modules/.bin pnpm_v node_path
  node_path=$(command -v node 2>/dev/null || true)

  # 1. PATH already has a good Node and pnpm (a developer's own install, or .tools from a parent).
  if [[ -n $node_path ]] && ks__node_ok "$node_path"; then
    pnpm_v=$(ks__pnpm_version "")
    if [[ ${pnpm_v%%.*} =~ ^[0-9]+$ ]] && ((${pnpm_v%%.*} >= 10)); then
      ks_log "using node $(node --version) ($node_path), pnpm $pnpm_v"
      return 0
    fi
  fi

  # 2. A previous run installed them into .tools.
  if ks__tools_ok; then
    ks__prepend_tools_path
    ks_log "using node $(node --version), pnpm $(pnpm --version </dev/null) from .tools"
    return 0
  fi

  # 3. Install them with the system npm.
  local why="node is missing"
  [[ -n $node_path ]] && why="node on PATH is $(node --version 2>/dev/null || echo '?'), need >= $KS_NODE_MIN, or pnpm is missing"
  if ! command -v npm >/dev/null 2>&1; then
    ks_err "$why, and npm is not available to install Node $KS_NODE_SPEC into .tools."
    ks_err "install Node.js >= $KS_NODE_MIN and pnpm $(ks_pnpm_version) (e.g. 'nvm install' reads .nvmrc), then retry."
    return 1
  fi
  local pnpm_want
  pnpm_want=$(ks_pnpm_version)
  ks_log "installing Node $KS_NODE_SPEC and pnpm $pnpm_want into .tools ($why)"
  mkdir -p "$KS_ROOT/.tools" || return 1
  # Run from inside .tools so the repo's .npmrc (engine-strict) does not apply to this install.
  if ! (cd "$KS_ROOT/.tools" &&
    npm install --prefix "$KS_ROOT/.tools" --no-save --no-audit --no-fund --ignore-scripts=false \
      --loglevel=error "node@$KS_NODE_SPEC" "pnpm@$pnpm_want" </dev/null >&2); then
    ks_err "npm install node@$KS_NODE_SPEC pnpm@$pnpm_want into .tools failed"
    return 1
  fi
  if ! ks__tools_ok; then
    ks_err "installed .tools, but $bin/node is not >= $KS_NODE_MIN or $bin/pnpm is not $pnpm_want:"
    "$bin/node" --version >&2 || true
    ks_err "remove .tools and retry"
    return 1
  fi
  ks__prepend_tools_path
  ks_log "using node $(node --version), pnpm $(pnpm --version </dev/null) from .tools"
}

# ks_pnpm_install [--force]: `pnpm install --frozen-lockfile` when node_modules is missing or
# pnpm-lock.yaml is newer than node_modules/.modules.yaml (or always with --force).
ks_pnpm_install() {
  local marker=$KS_ROOT/node_modules/.modules.yaml lock=$KS_ROOT/pnpm-lock.yaml
  local -a extra=()
  if [[ ${1:-} != --force && -f $marker && ! $lock -nt $marker ]]; then
    return 0
  fi
  command -v pnpm >/dev/null 2>&1 || {
    ks_err "pnpm not on PATH (call ks_provision_node first)"
    return 1
  }
  # Without a TTY pnpm refuses to recreate a node_modules made by another pnpm/Node; allow it.
  [[ -t 0 ]] || extra+=(--config.confirm-modules-purge=false)
  ks_log "installing dependencies (pnpm install --frozen-lockfile)"
  if ! (cd "$KS_ROOT" && pnpm install --frozen-lockfile "${extra[@]}"); then
    ks_err "pnpm install --frozen-lockfile failed (if you changed a package.json, run 'pnpm install' and commit pnpm-lock.yaml)"
    return 1
  fi
  # pnpm leaves .modules.yaml alone when nothing changed; mark the lockfile as installed.
  [[ -f $marker ]] && touch "$marker"
  return 0
}

# ---------------------------------------------------------------------------------------------
# Chromium
# ---------------------------------------------------------------------------------------------

ks_ensure_chromium() {
  if [[ -x $KS_CHROMIUM ]]; then
    return 0
  fi
  if ! ks__is_root; then
    ks_err "Chromium is needed for the browser tests and $KS_CHROMIUM is missing. Install it with:"
    printf '      sudo apt-get update && sudo apt-get install -y chromium\n' >&2
    return 1
  fi
  ks_log "installing Chromium"
  ks_apt_install chromium || return 1
  if [[ ! -x $KS_CHROMIUM ]]; then
    ks_err "installed the chromium package but $KS_CHROMIUM is still missing"
    return 1
  fi
  ks_log "chromium: $("$KS_CHROMIUM" --version 2>/dev/null || echo "$KS_CHROMIUM")"
}

# ---------------------------------------------------------------------------------------------
# helpers for the throwaway servers
# ---------------------------------------------------------------------------------------------

# ks__port_busy PORT: something listens on PORT (on any address).
ks__port_busy() {
  local port=$1
  if command -v ss >/dev/null 2>&1 && [[ -n $(ss -Hltn "sport = :$port" 2>/dev/null) ]]; then
    return 0
  fi
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# ks__free_port START: first free TCP port in START..START+99, printed on stdout.
ks__free_port() {
  local start=$1 p
  for ((p = start; p < start + 100; p++)); do
    if ! ks__port_busy "$p"; then
      printf '%s\n' "$p"
      return 0
    fi
  done
  ks_err "no free TCP port in $start..$((start + 99))"
  return 1
}

# ks__rm_tmpdir DIR: remove a directory made by ks__mktmpdir (and nothing else).
ks__rm_tmpdir() {
  local dir=$1
  [[ -n $dir && -d $dir ]] || return 0
  if [[ ! -f $dir/.keysmith-tmp ]]; then
    ks_warn "not removing $dir: it was not made by .ci/lib.sh"
    return 0
  fi
  rm -rf -- "$dir"
}

ks__mktmpdir() {
  local prefix=$1 dir
  # /tmp rather than $TMPDIR: the postgres user must reach it and unix socket paths must be short.
  dir=$(mktemp -d "/tmp/$prefix.XXXXXX") || return 1
  : >"$dir/.keysmith-tmp"
  chmod 755 "$dir"
  printf '%s\n' "$dir"
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------

# ks_ensure_postgres: find the server binaries (KS_PG_BIN, default the newest
# /usr/lib/postgresql/*/bin, preferring 15) and install postgresql-15 if there are none.
ks_ensure_postgres() {
  if [[ -n ${KS_PG_BIN:-} && -x $KS_PG_BIN/initdb && -x $KS_PG_BIN/pg_ctl ]]; then
    export KS_PG_BIN
    return 0
  fi
  local d found=""
  if [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then
    found=/usr/lib/postgresql/15/bin
  else
    for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V); do
      [[ -x $d/initdb && -x $d/pg_ctl ]] && found=$d
    done
  fi
  if [[ -z $found ]] && command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir 2>/dev/null || true)
    [[ -n $d && -x $d/initdb ]] && found=$d
  fi
  if [[ -z $found ]]; then
    ks_log "PostgreSQL server binaries not found; installing postgresql-15"
    ks_apt_install postgresql-15 || return 1
    [[ -x /usr/lib/postgresql/15/bin/initdb ]] && found=/usr/lib/postgresql/15/bin
  fi
  if [[ -z $found ]]; then
    ks_err "PostgreSQL server binaries (initdb, pg_ctl) not found; set KS_PG_BIN to their directory"
    return 1
  fi
  export KS_PG_BIN=$found
}

# ks__pg_user: the OS user that runs the server (postgres when we are root; PostgreSQL refuses root).
ks__pg_user() {
  if ks__is_root; then printf 'postgres\n'; else id -un; fi
}

# ks__as_pg CMD ARGS...: run CMD as the server's OS user, from /tmp.
ks__as_pg() {
  if ks__is_root; then
    if command -v runuser >/dev/null 2>&1; then
      (cd /tmp && runuser -u postgres -- "$@")
    else
      (cd /tmp && su postgres -s /bin/bash -c "$(printf '%q ' "$@")")
    fi
  else
    (cd /tmp && "$@")
  fi
}

ks__pg_running() {
  [[ -n ${KS_PG_DIR:-} && -f $KS_PG_DIR/data/PG_VERSION && -n ${KS_PG_BIN:-} ]] || return 1
  ks__as_pg "$KS_PG_BIN/pg_ctl" status -D "$KS_PG_DIR/data" >/dev/null 2>&1
}

# ks_start_postgres: initdb a throwaway cluster under /tmp and start it on 127.0.0.1 (port
# KS_PG_DEFAULT_PORT=54329 or the next free one), tuned for tests (no fsync), trust auth,
# with database keysmith_test. Exports TEST_DATABASE_URL, KS_PG_DIR, KS_PG_PORT, KS_PG_BIN.
ks_start_postgres() {
  if ks__pg_running; then
    ks_log "PostgreSQL already running on 127.0.0.1:$KS_PG_PORT ($KS_PG_DIR)"
    export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$KS_PG_PORT/keysmith_test" KS_PG_DIR KS_PG_PORT
    return 0
  fi
  ks_ensure_postgres || return 1

  if ks__is_root && ! id postgres >/dev/null 2>&1; then
    ks_log "creating system user postgres"
    local -a group_opt=(--user-group)
    getent group postgres >/dev/null 2>&1 && group_opt=(-g postgres)
    useradd --system "${group_opt[@]}" --home-dir /var/lib/postgresql --no-create-home \
      --shell /bin/bash postgres || {
      ks_err "could not create user postgres"
      return 1
    }
  fi

  local dir port
  dir=$(ks__mktmpdir keysmith-pg) || {
    ks_err "mktemp failed"
    return 1
  }
  if ks__is_root; then chown postgres: "$dir" || {
    ks__rm_tmpdir "$dir"
    return 1
  }; fi
  port=$(ks__free_port "$KS_PG_DEFAULT_PORT") || {
    ks__rm_tmpdir "$dir"
    return 1
  }
  [[ $port == "$KS_PG_DEFAULT_PORT" ]] || ks_log "port $KS_PG_DEFAULT_PORT is busy; using $port"

  ks_log "starting PostgreSQL $("$KS_PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)"
  if ! ks__as_pg "$KS_PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
    >"$dir/initdb.log" 2>&1; then
    ks_err "initdb failed:"
    cat "$dir/initdb.log" >&2
    ks__rm_tmpdir "$dir"
    return 1
  fi
  cat >>"$dir/data/postgresql.conf" <<EOF

# --- keysmith test cluster (.ci/lib.sh) ---
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
EOF
  if ! ks__as_pg "$KS_PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null 2>&1; then
    ks_err "PostgreSQL did not start; last lines of $dir/postgres.log:"
    tail -n 30 "$dir/postgres.log" >&2 2>/dev/null || true
    ks__as_pg "$KS_PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    ks__rm_tmpdir "$dir"
    return 1
  fi
  export KS_PG_DIR=$dir KS_PG_PORT=$port
  if ! "$KS_PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres keysmith_test </dev/null; then
    ks_err "createdb keysmith_test failed"
    ks_stop_postgres
    return 1
  fi
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/keysmith_test"
  ks_log "PostgreSQL ready: TEST_DATABASE_URL=$TEST_DATABASE_URL"
}

# ks_stop_postgres: stop the cluster started by ks_start_postgres and delete its directory.
ks_stop_postgres() {
  local dir=${KS_PG_DIR:-}
  if [[ -z $dir ]]; then
    return 0
  fi
  if [[ -d $dir/data ]]; then
    ks_log "stopping PostgreSQL ($dir)"
    [[ -n ${KS_PG_BIN:-} ]] || ks_ensure_postgres || true
    if ks__as_pg "$KS_PG_BIN/pg_ctl" status -D "$dir/data" >/dev/null 2>&1; then
      if ! ks__as_pg "$KS_PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
        ks_warn "fast shutdown failed; stopping PostgreSQL with -m immediate"
        ks__as_pg "$KS_PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || {
          ks_err "could not stop PostgreSQL in $dir"
          return 1
        }
      fi
    fi
  fi
  ks__rm_tmpdir "$dir"
  if [[ ${TEST_DATABASE_URL:-} == *"127.0.0.1:${KS_PG_PORT:-}/"* ]]; then unset TEST_DATABASE_URL; fi
  unset KS_PG_DIR KS_PG_PORT
  return 0
}

# ---------------------------------------------------------------------------------------------
# Redis
# ---------------------------------------------------------------------------------------------

ks_ensure_redis() {
  if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
    return 0
  fi
  ks_log "redis-server not found; installing it"
  ks_apt_install redis-server || return 1
  if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
    ks_err "installed redis-server but redis-server/redis-cli are still not on PATH"
    return 1
  fi
}

ks__redis_pid() {
  local f=${KS_REDIS_DIR:-}/redis.pid pid
  [[ -n ${KS_REDIS_DIR:-} && -f $f ]] || return 1
  pid=$(<"$f")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && printf '%s\n' "$pid"
}

ks__redis_ping() {
  [[ $(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null </dev/null) == PONG ]]
}

# ks_start_redis: start a throwaway redis-server on 127.0.0.1 (port KS_REDIS_DEFAULT_PORT=63799
# or the next free one), no persistence. Exports TEST_REDIS_URL, KS_REDIS_DIR, KS_REDIS_PORT.
ks_start_redis() {
  if ks__redis_pid >/dev/null && ks__redis_ping "${KS_REDIS_PORT:-0}"; then
    ks_log "Redis already running on 127.0.0.1:$KS_REDIS_PORT ($KS_REDIS_DIR)"
    export TEST_REDIS_URL="redis://127.0.0.1:$KS_REDIS_PORT" KS_REDIS_DIR KS_REDIS_PORT
    return 0
  fi
  ks_ensure_redis || return 1
  local dir port i
  dir=$(ks__mktmpdir keysmith-redis) || {
    ks_err "mktemp failed"
    return 1
  }
  port=$(ks__free_port "$KS_REDIS_DEFAULT_PORT") || {
    ks__rm_tmpdir "$dir"
    return 1
  }
  [[ $port == "$KS_REDIS_DEFAULT_PORT" ]] || ks_log "port $KS_REDIS_DEFAULT_PORT is busy; using $port"
  ks_log "starting Redis $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on 127.0.0.1:$port ($dir)"
  if ! redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$dir/redis.pid" --dir "$dir" --logfile "$dir/redis.log" </dev/null; then
    ks_err "redis-server failed to start"
    cat "$dir/redis.log" >&2 2>/dev/null || true
    ks__rm_tmpdir "$dir"
    return 1
  fi
  export KS_REDIS_DIR=$dir KS_REDIS_PORT=$port
  for ((i = 0; i < 100; i++)); do
    ks__redis_ping "$port" && break
    sleep 0.1
  done
  if ! ks__redis_ping "$port"; then
    ks_err "Redis did not answer PING on 127.0.0.1:$port within 10 s; $dir/redis.log:"
    tail -n 30 "$dir/redis.log" >&2 2>/dev/null || true
    ks_stop_redis
    return 1
  fi
  export TEST_REDIS_URL="redis://127.0.0.1:$port"
  ks_log "Redis ready: TEST_REDIS_URL=$TEST_REDIS_URL"
}

# ks_stop_redis: stop the server started by ks_start_redis and delete its directory.
ks_stop_redis() {
  local dir=${KS_REDIS_DIR:-} pid i
  if [[ -z $dir ]]; then
    return 0
  fi
  if pid=$(ks__redis_pid); then
    ks_log "stopping Redis ($dir)"
    redis-cli -h 127.0.0.1 -p "${KS_REDIS_PORT:-0}" shutdown nosave </dev/null >/dev/null 2>&1 || true
    for ((i = 0; i < 50; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      ks_warn "Redis (pid $pid) ignored SHUTDOWN; killing it"
      kill "$pid" 2>/dev/null || true
      sleep 0.5
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    fi
  fi
  ks__rm_tmpdir "$dir"
  if [[ ${TEST_REDIS_URL:-} == "redis://127.0.0.1:${KS_REDIS_PORT:-}" ]]; then unset TEST_REDIS_URL; fi
  unset KS_REDIS_DIR KS_REDIS_PORT
  return 0
}
