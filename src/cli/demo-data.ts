// The demo province's registry file: used by `npm run demo` and by the access-matrix e2e test.
export const DEMO_PASSWORD = 'Demo#2026';
/** the demo's primary school (小学, 二七区): the hand-over of issue 16 takes 1141010004's children to it */
export const DEMO_SCHOOL = '2141010301';

export const DEMO_REGISTRY_CSV = [
  '机构标识码,机构名称,机构类别,行政区划代码,办别,办学许可证号',
  '1141010001,郑州市中原区第一幼儿园,幼儿园,410102,公办,教民141010270000001号',
  '1141010002,郑州市中原区阳光幼儿园,幼儿园,410102,民办,教民141010270000002号',
  '2141010003,郑州市中原区实验小学附设幼儿园,附设幼儿园,410102,公办,',
  '1141010004,郑州市二七区实验幼儿园,幼儿园,410103,公办,教民141010370000004号',
  `${DEMO_SCHOOL},郑州市二七区实验小学,小学,410103,公办,`,
  '1141020001,开封市龙亭区第一幼儿园,幼儿园,410202,公办,教民141020270000001号',
].join('\n');
