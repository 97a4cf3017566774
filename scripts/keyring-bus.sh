#!/usr/bin/env bash
# `bash scripts/keyring-bus.sh DIR`: writes DIR/session.conf, a D-Bus session configuration on which the
# Secret Service is a gnome-keyring that D-Bus starts on first use with an UNLOCKED throwaway login keyring
# (password "test-keyring-password", files under DIR/data when XDG_DATA_HOME points there). scripts/test.sh
# runs the tests on such a bus, and the keychain tests start private ones.
#
# Why activation instead of starting the daemon up front: gnome-keyring 42–50 can abort when clients open
# Secret Service sessions at the same moment (upstream gnome-keyring#190; the tests' many processes hit it
# about once in twenty runs). A desktop session then starts a new daemon, but a plain headless one would
# come back without a login keyring. Here D-Bus starts it again, unlocked, over the same keyring files, and
# every start is logged to DIR/starts.log (its output to DIR/keyring.log) so the test run can report it.
set -euo pipefail
dir="$1"
mkdir -p "$dir/services"
cat >"$dir/start-keyring.sh" <<SCRIPT
#!/usr/bin/env bash
echo "\$\$" >>'$dir/starts.log'
exec gnome-keyring-daemon --foreground --unlock --components=secrets < <(printf %s test-keyring-password) >>'$dir/keyring.log' 2>&1
SCRIPT
chmod +x "$dir/start-keyring.sh"
printf '[D-BUS Service]\nName=org.freedesktop.secrets\nExec=%s\n' "$dir/start-keyring.sh" >"$dir/services/org.freedesktop.secrets.service"
cat >"$dir/session.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <!-- Listed before the standard directories, so this Secret Service wins over the system's. -->
  <servicedir>$dir/services</servicedir>
  <include>/usr/share/dbus-1/session.conf</include>
</busconfig>
CONF
