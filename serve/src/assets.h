// The page's static files (serve/assets/), compiled into the binary by
// embed_assets.cmake: fidx serve reads nothing from disk but the index.

#ifndef FIDX_SERVE_ASSETS_H_
#define FIDX_SERVE_ASSETS_H_

#include <cstddef>
#include <vector>

namespace fidx {
namespace serve {

struct Asset {
  const char* name;          // "app.css", served at /static/app.css
  const char* data;
  size_t size;
  const char* content_type;
};

const std::vector<Asset>& Assets();

}  // namespace serve
}  // namespace fidx

#endif  // FIDX_SERVE_ASSETS_H_
