package setup

// CloseAsFinishDoes stands for a Finish that has committed and voided the token while
// the settings cache has not been reloaded yet: the window a concurrent request can hit.
func (w *Wizard) CloseAsFinishDoes() { w.void() }
