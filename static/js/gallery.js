// The product page's photo gallery. Without this file each photo is a plain link to its
// full-size file; with it, PhotoSwipe (static/vendor/photoswipe, MIT) opens them over the page:
// swipe or arrow keys between photos, pinch or tap to zoom, Esc to close, focus kept inside
// while open and given back after. Labels come from the page, in its language.
const gallery = document.querySelector("[data-gallery]");
if (gallery && gallery.querySelector("a[data-pswp-width]")) {
  const { default: PhotoSwipeLightbox } = await import(gallery.dataset.lightboxModule);
  const lightbox = new PhotoSwipeLightbox({
    gallery,
    children: "a[data-pswp-width]",
    pswpModule: () => import(gallery.dataset.pswpModule),
    closeTitle: gallery.dataset.closeTitle,
    zoomTitle: gallery.dataset.zoomTitle,
    arrowPrevTitle: gallery.dataset.previousTitle,
    arrowNextTitle: gallery.dataset.nextTitle,
    errorMsg: gallery.dataset.errorMessage,
    bgOpacity: 0.92,
  });
  lightbox.init();
}
