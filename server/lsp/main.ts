/** The language server entry point (stub until the language-server issue lands). */
process.stderr.write('workflow-phases language server: not implemented yet\n');
process.exit(1);
