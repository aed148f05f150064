/** phasectl: the command-line interface (validate lands with the foundation issue). */
process.stderr.write('phasectl: not implemented yet\n');
process.exit(2);
