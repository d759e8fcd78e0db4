# Shared settings for the RT5 peer benchmark; sourced by the other scripts.
# Everything RT writes (database, sessions, mason cache, logs, pid, token)
# lives under RT5_STATE, not in /etc or /var/lib.
: "${RT5_STATE:=/tmp/okno-rt5-bench}"
: "${RT5_HOST:=127.0.0.1}"
: "${RT5_PORT:=18085}"
: "${RT5_WORKERS:=4}"          # Starlet prefork workers (rt-server default is 10)
: "${RT5_USER:=bench}"
: "${RT5_PASS:=bench-password-1}"
export RT5_STATE RT5_HOST RT5_PORT RT5_WORKERS RT5_USER RT5_PASS
# RT reads its site config from these instead of /etc/request-tracker5.
export RT_SITE_CONFIG="$RT5_STATE/RT_SiteConfig.pm"
export RT_SITE_CONFIG_DIR="$RT5_STATE/RT_SiteConfig.d"
RT5_LIB=/usr/share/request-tracker5/lib
RT5_SERVER=/usr/share/request-tracker5/libexec/rt-server
RT5_BASE="http://$RT5_HOST:$RT5_PORT"
