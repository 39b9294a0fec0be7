// Bootstrap only: styles, then the app.
import './styles.css'
import { start } from './app'

void start()
