# Sourced by tests/run-all.sh: installs what the tests need when it is missing,
# so the test command passes on a fresh machine. Idempotent and quiet when all
# is there.

step() { printf '\n==> %s\n' "$*"; }

apt_updated=0
apt_install() {
  if ! command -v apt-get >/dev/null; then
    echo "missing $*, and no apt-get to install it with; install it by hand" >&2
    return 1
  fi
  if [ "$apt_updated" = 0 ]; then
    $SUDO apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi

ensure_rust() {
  if ! command -v cargo >/dev/null; then
    echo "cargo is missing: install Rust with rustup (https://rustup.rs), then run this again" >&2
    return 1
  fi
  if command -v rustup >/dev/null; then
    for component in rustfmt clippy; do
      rustup component list --installed 2>/dev/null | grep -q "^$component" ||
        rustup component add "$component"
    done
  fi
}

ensure_jvm() {
  command -v javac >/dev/null || apt_install openjdk-17-jdk-headless
  command -v mvn >/dev/null || apt_install maven
}

# The screenshot and UI tests draw text headless through Skia, which finds
# fonts with fontconfig: a bare machine needs both.
ensure_fonts() {
  if ! command -v fc-list >/dev/null || ! fc-list 2>/dev/null | grep -qi 'DejaVu Sans'; then
    apt_install fontconfig fonts-dejavu-core
  fi
}

# A venv with the export validators: fhir.resources (FHIR R4/R4B models)
# and jsonschema, pinned.
export_venv=target/export-venv
ensure_export_validators() {
  if [ ! -x "$export_venv/bin/python" ] || ! "$export_venv/bin/python" -c 'import fhir.resources, jsonschema' 2>/dev/null; then
    python3 -m venv "$export_venv"
    "$export_venv/bin/pip" install -q fhir.resources==8.3.0 jsonschema==4.26.0
  fi
}

# A Swift parser for the iOS sources (no Swift compiler runs on Linux CI):
# tree-sitter's Swift grammar from PyPI.
swift_venv=target/swift-venv
ensure_swift_parser() {
  if [ ! -x "$swift_venv/bin/python" ] || ! "$swift_venv/bin/python" -c 'import tree_sitter, tree_sitter_swift' 2>/dev/null; then
    python3 -m venv "$swift_venv"
    "$swift_venv/bin/pip" install -q tree-sitter==0.26.1 tree-sitter-swift==0.7.4
  fi
}

ensure_python() {
  command -v python3 >/dev/null || apt_install python3 python3-venv
}

# Real gait recordings for the activity-detection tests: the example data
# shipped in gaitmap's source distribution on PyPI (MaD-Lab Erlangen, MIT
# licence; foot-mounted IMUs with motion-capture references). Downloaded
# once into target/fixtures and checked against its published hash.
gait_data_dir="target/fixtures/gaitmap-2.6.0"
ensure_gait_data() {
  [ -f "$gait_data_dir/example_data/imu_sample.csv" ] && return 0
  local tmp
  tmp=$(mktemp -d)
  python3 -m pip download -q --no-deps --no-binary :all: gaitmap==2.6.0 -d "$tmp" >/dev/null
  echo "0312a3fd8c8741afc607cda1b56e6b297416ceb6bc544dfbfaa6af2278478f2c  $tmp/gaitmap-2.6.0.tar.gz" |
    sha256sum -c --quiet -
  mkdir -p target/fixtures
  tar -xzf "$tmp/gaitmap-2.6.0.tar.gz" -C target/fixtures \
    gaitmap-2.6.0/LICENSE gaitmap-2.6.0/example_data
  rm -rf "$tmp"
}
