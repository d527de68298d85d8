#!/usr/bin/env node
// Why the incident layer is not drawn with WebGL2 here (BENCHMARKS.md, "Live incidents"):
// headless Debian chromium runs WebGL in software (SwiftShader). In a 3840x2160 page this
// draws 23,000 semi-transparent 4x4 px quads (the Calais close-up's density cells) onto a
// WebGL2 canvas, as instanced quads and as plain triangles, each draw followed by a 1-px
// readPixels so the GPU's work is inside the timing, 6 times each; prints the ms.
// Usage: node bench/webgl-probe.mjs
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../tests/e2e/harness.mjs';

const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const b = await chromium.launch({ executablePath: CHROMIUM, args, headless: true });
const p = await b.newPage({ viewport: { width: 3840, height: 2160 } });
await p.setContent('<canvas id=c style="position:absolute;inset:0;width:100%;height:100%"></canvas>');
const r = await p.evaluate(async () => {
  const c = document.getElementById('c');
  c.width = 3840;
  c.height = 2160;
  const gl = c.getContext('webgl2', { preserveDrawingBuffer: true, antialias: false, premultipliedAlpha: true });
  if (!gl) return { error: 'no WebGL2' };
  const N = 23000;
  const sh = (t, s) => {
    const x = gl.createShader(t);
    gl.shaderSource(x, s);
    gl.compileShader(x);
    if (!gl.getShaderParameter(x, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(x));
    return x;
  };
  const prog = (vs, fs) => {
    const q = gl.createProgram();
    gl.attachShader(q, sh(gl.VERTEX_SHADER, vs));
    gl.attachShader(q, sh(gl.FRAGMENT_SHADER, fs));
    gl.linkProgram(q);
    return q;
  };
  const FS = `#version 300 es
precision highp float; flat in vec4 v_c; out vec4 o; void main(){ o = vec4(v_c.rgb*v_c.a, v_c.a); }`;
  const inst = prog(`#version 300 es
layout(location=0) in vec4 a_p; layout(location=1) in vec4 a_c; flat out vec4 v_c;
void main(){ vec2 k=vec2(float(gl_VertexID&1), float(gl_VertexID>>1)); vec2 p=mix(a_p.xy,a_p.zw,k);
gl_Position=vec4(p.x/3840.0*2.0-1.0, 1.0-p.y/2160.0*2.0, 0.0, 1.0); v_c=a_c; }`, FS);
  const flat = prog(`#version 300 es
layout(location=0) in vec2 a_xy; layout(location=1) in vec4 a_c; flat out vec4 v_c;
void main(){ gl_Position=vec4(a_xy.x/3840.0*2.0-1.0, 1.0-a_xy.y/2160.0*2.0, 0.0, 1.0); v_c=a_c; }`, FS);
  const idata = new Float32Array(N * 8);
  const vdata = new Float32Array(N * 6 * 6);
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < N; i++) {
    const x = Math.floor(rnd() * 3800);
    const y = Math.floor(rnd() * 2100);
    idata.set([x, y, x + 4, y + 4, 1, 0.5, 0.2, 0.6], i * 8);
    [[x, y], [x + 4, y], [x, y + 4], [x + 4, y], [x + 4, y + 4], [x, y + 4]].forEach(([cx, cy], k) =>
      vdata.set([cx, cy, 1, 0.5, 0.2, 0.6], (i * 6 + k) * 6));
  }
  const vaoI = gl.createVertexArray();
  gl.bindVertexArray(vaoI);
  gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
  gl.bufferData(gl.ARRAY_BUFFER, idata, gl.STATIC_DRAW);
  gl.enableVertexAttribArray(0);
  gl.vertexAttribPointer(0, 4, gl.FLOAT, false, 32, 0);
  gl.vertexAttribDivisor(0, 1);
  gl.enableVertexAttribArray(1);
  gl.vertexAttribPointer(1, 4, gl.FLOAT, false, 32, 16);
  gl.vertexAttribDivisor(1, 1);
  const vaoF = gl.createVertexArray();
  gl.bindVertexArray(vaoF);
  gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
  gl.bufferData(gl.ARRAY_BUFFER, vdata, gl.STATIC_DRAW);
  gl.enableVertexAttribArray(0);
  gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 24, 0);
  gl.enableVertexAttribArray(1);
  gl.vertexAttribPointer(1, 4, gl.FLOAT, false, 24, 8);
  gl.enable(gl.BLEND);
  gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
  const px = new Uint8Array(4);
  const run = async (draw) => {
    const t = [];
    for (let i = 0; i < 6; i++) {
      await new Promise((res) => setTimeout(res, 0));
      const t0 = performance.now();
      gl.clearColor(0, 0, 0, 0);
      gl.clear(gl.COLOR_BUFFER_BIT);
      draw();
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
      t.push(+(performance.now() - t0).toFixed(1));
    }
    return t;
  };
  const instanced = await run(() => {
    gl.useProgram(inst);
    gl.bindVertexArray(vaoI);
    gl.drawArraysInstanced(gl.TRIANGLE_STRIP, 0, 4, N);
  });
  const triangles = await run(() => {
    gl.useProgram(flat);
    gl.bindVertexArray(vaoF);
    gl.drawArrays(gl.TRIANGLES, 0, N * 6);
  });
  return { renderer: gl.getParameter(gl.RENDERER), instanced, triangles };
});
console.log(JSON.stringify(r));
await b.close();
