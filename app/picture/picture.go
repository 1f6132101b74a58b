// Package picture makes small pictures out of uploaded ones — profile photos, drive
// previews — from their pixels alone: decoded within a memory bound read from the header,
// turned upright, scaled, and encoded afresh as JPEG, so that nothing else of the upload
// (metadata, scripts, polyglot tails) survives.
package picture

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	_ "image/gif" // the formats understood
	"image/jpeg"
	_ "image/png"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp"
)

// ErrNotPicture is content that is no picture of a known format.
var ErrNotPicture = errors.New("picture: not a picture")

// Header reads a picture's format and dimensions without decoding it.
func Header(data []byte) (image.Config, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return cfg, ErrNotPicture
	}
	return cfg, nil
}

// DecodeSize is the memory decoding a picture takes, from its header: its pixels at its
// colour model's size.
func DecodeSize(cfg image.Config) int64 {
	return int64(cfg.Width) * int64(cfg.Height) * BytesPerPixel(cfg.ColorModel)
}

// BytesPerPixel is what one pixel of the colour model takes once decoded by the standard
// decoders; an unknown model counts as the largest (16-bit RGBA).
func BytesPerPixel(m color.Model) int64 {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel: // JPEG: at most 4:4:4, three planes of one byte
		return 3
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel, color.NYCbCrAModel:
		return 4
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 8
}

// Square crops the centre square of a picture, scales it to at most side, turns it
// upright and encodes it as JPEG. The caller has bounded its DecodeSize.
func Square(data []byte, side int) ([]byte, error) {
	src, err := decode(data)
	if err != nil {
		return nil, err
	}
	b := src.Bounds()
	s := min(b.Dx(), b.Dy())
	crop := image.Rect(0, 0, s, s).Add(image.Pt(b.Min.X+(b.Dx()-s)/2, b.Min.Y+(b.Dy()-s)/2))
	out := min(s, side)
	return encode(scale(src, crop, out, out), Orientation(data))
}

// Fit scales a picture to fit in side×side, keeping its proportions, turns it upright and
// encodes it as JPEG. The caller has bounded its DecodeSize.
func Fit(data []byte, side int) ([]byte, error) {
	src, err := decode(data)
	if err != nil {
		return nil, err
	}
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > side || h > side {
		if w >= h {
			w, h = side, max(1, h*side/b.Dx())
		} else {
			w, h = max(1, w*side/b.Dy()), side
		}
	}
	return encode(scale(src, b, w, h), Orientation(data))
}

func decode(data []byte) (image.Image, error) {
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, ErrNotPicture
	}
	return src, nil
}

// scale draws the part from of src into a new w×h picture; transparent pixels become
// white rather than JPEG's black.
func scale(src image.Image, from image.Rectangle, w, h int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, from, draw.Over, nil)
	return dst
}

func encode(img *image.RGBA, orientation int) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, Upright(img, orientation), &jpeg.Options{Quality: 85}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
