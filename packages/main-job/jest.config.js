export default { preset: '@tributary/testkit' };
