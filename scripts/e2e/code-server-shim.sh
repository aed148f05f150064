#!/bin/sh
# The "VS Code executable" handed to @vscode/test-electron's runTests: it forwards runTests'
# arguments (--extensionDevelopmentPath=, --extensionTestsPath=, the folder) to the
# code-server session, which runs the tests in a real extension host and exits with their code.
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.." || exit 1
exec "${E2E_NODE:-node}" --import tsx "$here/host-session.ts" "$@"
