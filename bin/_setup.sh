# Shared set-up steps for bin/run and bin/test. Each step does nothing when already done.

setup_python() {
  # $1: which lock file of requirements/ to install (run, dev); every package pinned with hashes.
  local lock="requirements/${1:-run}.txt"
  local stamp=".venv/.installed-${1:-run}"
  local digest
  digest=$(sha256sum "$lock" | cut -d' ' -f1)
  if [ ! -x .venv/bin/python ]; then
    echo "== Creating .venv"
    python3.11 -m venv .venv 2>/dev/null || python3 -m venv .venv
  fi
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    echo "== Installing Python packages ($lock)"
    .venv/bin/pip install --quiet --disable-pip-version-check --require-hashes -r "$lock"
    echo "$digest" > "$stamp"
  fi
}

compile_messages() {
  if ! command -v msgfmt >/dev/null 2>&1; then
    install_apt gettext
  fi
  local po
  # Serbian Cyrillic catalogues are made from the Serbian Latin ones (core/transliteration.py).
  python3 -m core.transliteration catalogues . >/dev/null
  for po in $(find locale locale_libraries -name '*.po'); do
    if [ ! -f "${po%.po}.mo" ] || [ "$po" -nt "${po%.po}.mo" ]; then
      msgfmt --check -o "${po%.po}.mo" "$po"
    fi
  done
}

install_apt() {
  if [ "$(id -u)" != "0" ]; then
    echo "!! Please install these Debian packages: $*" >&2
    return 1
  fi
  echo "== Installing Debian packages: $*"
  if ! apt-get install -y -qq "$@" >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  fi
}

setup_browser() {
  if ! command -v chromium >/dev/null 2>&1; then
    install_apt chromium || true
  fi
  if ! command -v chromium >/dev/null 2>&1; then
    echo "!!!!!!!! chromium could not be installed: browser tests will be SKIPPED (FAIL with CI set) !!!!!!!!" >&2
  fi
}

setup_test_tools() {
  # axe-core (accessibility) and vnu.jar (the W3C Nu HTML checker), pinned in tests/tools;
  # vnu.jar runs on Debian's Java. --ignore-scripts: vnu-jar's own script would download a JDK.
  if ! command -v java >/dev/null 2>&1; then
    install_apt default-jre-headless || true
  fi
  if [ ! -f tests/tools/node_modules/axe-core/axe.min.js ] \
    || [ ! -f tests/tools/node_modules/vnu-jar/build/dist/vnu.jar ] \
    || [ tests/tools/package-lock.json -nt tests/tools/node_modules/.package-lock.json ]; then
    if ! command -v npm >/dev/null 2>&1; then
      install_apt npm || true
    fi
    if command -v npm >/dev/null 2>&1; then
      echo "== Installing axe-core and vnu.jar for the accessibility and HTML tests"
      (cd tests/tools && npm ci --ignore-scripts --silent --no-audit --no-fund)
    else
      echo "!!!!!!!! npm is missing: accessibility and HTML tests will be SKIPPED (FAIL with CI set) !!!!!!!!" >&2
    fi
  fi
  if ! command -v java >/dev/null 2>&1; then
    echo "!!!!!!!! java is missing: HTML validity tests will be SKIPPED (FAIL with CI set) !!!!!!!!" >&2
  fi
}
