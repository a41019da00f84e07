/** The gallery's one stylesheet, served as /static/style.css (the CSP allows styles from 'self' only). */
export const STYLE_CSS = `*{box-sizing:border-box}
body{margin:0;font:16px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2433;background:#f4f5f7}
header{display:flex;gap:1.5rem;align-items:center;padding:.8rem 1.5rem;background:#1d2433;color:#fff}
.brand{color:#fff;font-weight:700;text-decoration:none;font-size:1.15rem}
header form{display:flex;gap:.4rem;flex:1;max-width:32rem}
header input{flex:1;padding:.45rem .6rem;border:0;border-radius:4px;font:inherit}
header button{padding:.45rem .9rem;border:0;border-radius:4px;background:#f0a020;color:#1d2433;font:inherit;font-weight:600;cursor:pointer}
main{max-width:70rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.5rem;margin:.2rem 0 1rem}
.note{color:#5a6275;margin-top:-.5rem}
.product{display:flex;gap:1.2rem;align-items:center;margin-bottom:1rem}
.product .placeholder,.product img{width:96px;height:96px;font-size:2.5rem}
.grid{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:1rem}
.card{background:#fff;border-radius:8px;padding:.8rem;box-shadow:0 1px 3px rgba(0,0,0,.12);display:flex;flex-direction:column;gap:.25rem}
.card a{color:#1a56c4;text-decoration:none;display:flex;flex-direction:column;gap:.5rem}
.card a:hover .name{text-decoration:underline}
.card img,.placeholder{width:100%;aspect-ratio:4/3;object-fit:cover;border-radius:6px}
.placeholder{display:flex;align-items:center;justify-content:center;background:linear-gradient(135deg,#dfe7f5,#c3d2ee);color:#3b5998;font-size:3rem;font-weight:700}
.ph1{background:linear-gradient(135deg,#f6e3d3,#eec5a4);color:#8a4b1c}
.ph2{background:linear-gradient(135deg,#d9f0e3,#b3dfc6);color:#23663f}
.ph3{background:linear-gradient(135deg,#eadcf3,#d2b8e6);color:#5e2f82}
.ph4{background:linear-gradient(135deg,#f6f0cf,#e9dc98);color:#7a6610}
.ph5{background:linear-gradient(135deg,#f5d9de,#e8b0bb);color:#8c2a3d}
.name{font-weight:600;overflow-wrap:anywhere}
.id{color:#7a8194;font-size:.8rem;font-family:ui-monospace,monospace;overflow-wrap:anywhere}
.meta{color:#2d6a3e;font-size:.9rem}
.fill{margin-top:1.5rem}
.fill h2{font-size:1.15rem;margin:0 0 .8rem;color:#5a6275}
.fill .card{background:#fbfbfc;border:1px dashed #c9cfdb;box-shadow:none}
`;
