const swc=require('@swc/core');const fs=require('fs');const path=require('path');const Module=require('module');
const orig=Module._extensions['.js'];
require.extensions['.ts']=function(m,f){const out=swc.transformSync(fs.readFileSync(f,'utf8'),{filename:f,...JSON.parse(fs.readFileSync('.swcrc','utf8'))});m._compile(out.code,f);};
require(path.resolve(process.argv[2]));
