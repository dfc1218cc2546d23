#!/bin/sh
# The flagship's requests with the curl CLI (sed to pick the token and id; no other interpreter): the peer of
# `detapi run` in bench/scenario.sh. Usage: unarchive-curl.sh MASTER
M=$1
T=$(curl -s -X POST "$M/api/v1/auth/login" -d '{"username":"determined","password":""}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
ID=$(curl -s -H "Authorization: Bearer $T" "$M/api/v1/experiments?archived=true&limit=1" | sed -n 's/.*"experiments":\[{"id":\([0-9]*\).*/\1/p')
curl -s -o /dev/null -X POST -H "Authorization: Bearer $T" "$M/api/v1/experiments/$ID/unarchive"
curl -s -H "Authorization: Bearer $T" "$M/api/v1/experiments/$ID" | grep -q '"archived":false'
curl -s -H "Authorization: Bearer $T" "$M/api/v1/experiments?archived=true&experimentIdFilter.incl=$ID" > /dev/null
curl -s -o /dev/null -X POST -H "Authorization: Bearer $T" "$M/api/v1/experiments/$ID/archive"
