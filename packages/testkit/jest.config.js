export default { preset: './jest-preset.cjs' };
