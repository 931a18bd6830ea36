import { restoreEnvironmentAfterFile } from "./test-file-environment";

// Runs before each unit test file (the project runs them without isolation, see vitest.config.ts).
restoreEnvironmentAfterFile();
